// What every CLI command shares: its shape, and a runtime opened for the command and closed after it.
import { createNodeRuntime, type NodeRuntime } from '../entry/node/runtime.js';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  help?: string;
  /** Older names that still run the command (kept so scripts and habits keep working); --help lists them. */
  aliases?: string[];
  // biome-ignore lint/suspicious/noConfusingVoidType: a command that returns nothing exits 0, so `async () => {}` is a valid command
  run(args: string[]): Promise<number | void>;
}

export async function withRuntime<T>(fn: (rt: NodeRuntime) => Promise<T>): Promise<T> {
  const rt = await createNodeRuntime(process.env);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
