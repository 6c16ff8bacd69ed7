// Loggers: JSON lines in production, readable lines in development, silent or collected in tests.
import type { LogFields, Logger } from './core/deps.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createConsoleLogger(opts: { json?: boolean; level?: Level } = {}): Logger {
  const min = order[opts.level ?? 'info'];
  const write = (level: Level, msg: string, fields?: LogFields) => {
    if (order[level] < min) return;
    const out = level === 'error' || level === 'warn' ? console.error : console.log;
    if (opts.json) out(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }));
    else out(`${level === 'info' ? '' : `[${level}] `}${msg}${fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export interface MemoryLogger extends Logger {
  lines: { level: Level; msg: string; fields?: LogFields }[];
}

export function createMemoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  const push = (level: Level) => (msg: string, fields?: LogFields) => void lines.push({ level, msg, fields });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
