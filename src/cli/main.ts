// `npm run recap -- <command>`: the operator's CLI over the same core as the server.
import { commands } from './commands.js';
import type { Command } from './runtime.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Usage: npm run recap -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}${aliasNote(c)}`),
    '',
    'Run `npm run recap -- <command> --help` for details.',
  ].join('\n');
}

function aliasNote(c: Command): string {
  return c.aliases?.length ? ` (alias: ${c.aliases.join(', ')})` : '';
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  console.log(usage());
  process.exit(name ? 0 : 1);
}
const cmd = commands.find((c) => c.name === name || c.aliases?.includes(name));
if (!cmd) {
  console.error(`Unknown command "${name}".\n\n${usage()}`);
  process.exit(2);
}
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: npm run recap -- ${cmd.usage}\n\n${cmd.help ?? cmd.summary}${cmd.aliases?.length ? `\n\nAlias: ${cmd.aliases.join(', ')}` : ''}`);
  process.exit(0);
}
try {
  const code = await cmd.run(args);
  process.exit(code ?? 0);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
