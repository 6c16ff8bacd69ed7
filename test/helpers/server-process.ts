// The real server as a child process (through tsx, or compiled), with its stdout and stderr kept apart for assertions.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { envSchema } from '../../src/config.js';
import { NODE_HEAP_FLAGS } from '../../src/entry/node/heap.js';

export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Resolves with the match once stdout or stderr matches, rejects when the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM and the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Run `<dir>/src/entry/node.js` (a compiled build) instead of src/entry/node.ts through tsx. */
  compiledDir?: string;
  spawn?: Pick<SpawnOptions, 'uid' | 'gid'>;
}

/** The argv `npm start` uses (compiled), or the tsx start the tests use. */
export function serverArgs(compiledDir?: string): string[] {
  return compiledDir
    ? ['--enable-source-maps', ...NODE_HEAP_FLAGS, join(compiledDir, 'src/entry/node.js')]
    : [...NODE_HEAP_FLAGS, '--import', 'tsx', 'src/entry/node.ts'];
}

/** The child sees none of this process's app variables (a developer's RESEND_API_KEY must not leak in), only what a test sets. */
export function cleanEnv(env: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(envSchema.shape)) delete base[key];
  delete base.NO_COLOR;
  return { ...(base as Record<string, string>), NODE_ENV: 'production', ...env };
}

export function startServerProcess(options: StartOptions = {}): ServerProcess {
  const child = spawn(process.execPath, serverArgs(options.compiledDir), {
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options.spawn,
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d) => {
    out += d;
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (d) => {
    err += d;
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(out) ?? pattern.exec(err);
        if (!m) return;
        done();
        resolve(m);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      void exited.then((code) => {
        if (!listeners.has(check)) return;
        done();
        reject(new Error(`exited ${code} before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
      });
      check();
    });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The port from the banner's first line. */
export const LISTEN_LINE = /running on http:\/\/127\.0\.0\.1:(\d+)/;
