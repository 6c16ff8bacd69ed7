// Child processes of the delivery benchmarks: each script runs in its own Node process (so the fake, the sink and
// the sender never share an event loop), answers with JSON lines, and is always killed when the bench ends or fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchChild {
  pid: number;
  /** Writes one JSON line to the child's stdin (scripts that take commands). */
  send(command: unknown): void;
  /** Resolves with the first stdout line that parses as a JSON object (rejects if the child exits first or in time). */
  nextJson<T>(timeoutMs?: number): Promise<T>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few KB of stdout and stderr, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Runs `test/bench/send/<script>` with tsx; `nodeArgs` go before the script (e.g. --cpu-prof). */
export function spawnBenchScript(script: string, env: Record<string, string>, nodeArgs: string[] = []): BenchChild {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', file], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(proc);
  proc.stdin!.on('error', () => {}); // the child may be gone already
  let tail = '';
  let pending = '';
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  const keep = (s: string) => (tail = (tail + s).slice(-8000));
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    keep(d);
    pending += d;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      lines.push(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  proc.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      for (const w of waiters.splice(0)) w();
      resolve({ code, signal });
    }),
  );

  async function nextJson<T>(timeoutMs = 120_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      while (lines.length) {
        const line = lines.shift()!.trim();
        if (!line.startsWith('{')) continue;
        try {
          return JSON.parse(line) as T;
        } catch {
          // a log line that happens to start with "{": keep looking
        }
      }
      if (proc.exitCode !== null || proc.signalCode !== null)
        throw new Error(`${script} exited (${proc.exitCode ?? proc.signalCode}) before answering:\n${tail}`);
      const left = until - Date.now();
      if (left <= 0) throw new Error(`${script} gave no answer within ${timeoutMs} ms:\n${tail}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  return {
    pid: proc.pid!,
    send: (command) => proc.stdin!.write(`${JSON.stringify(command)}\n`),
    nextJson,
    exited,
    output: () => tail,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      // command-driven scripts end on their own when stdin closes (and write their --cpu-prof); others get SIGTERM
      proc.stdin!.end();
      const term = setTimeout(() => proc.kill('SIGTERM'), 3000);
      const kill = setTimeout(() => proc.kill('SIGKILL'), 6000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    },
  };
}

/** Last resort (failure, Ctrl-C): nothing we started may outlive the bench. */
export function killAllBenchChildren(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  live.clear();
}

/** Child side: the JSON commands the parent sends with `send`, until it closes stdin. */
export async function* readCommands<T>(): AsyncGenerator<T> {
  for await (const line of createInterface({ input: process.stdin })) if (line.trim()) yield JSON.parse(line) as T;
}

/**
 * One request to a child's control route on a fresh connection. fetch() pools keep-alive sockets per origin, and a
 * new child that happens to get the port of a stopped one would be sent a dead pooled socket ("other side closed").
 */
export function controlRequest<T>(url: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        try {
          if ((res.statusCode ?? 500) >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${body.slice(0, 200)}`);
          resolve(JSON.parse(body) as T);
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
