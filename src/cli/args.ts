// Minimal argument parsing for the CLI (node:util parseArgs with friendly errors).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nUse --help for the options.`);
  }
}
