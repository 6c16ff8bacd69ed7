// Loggers: JSON lines in production, readable lines in development, silent or collected in tests.
import type { LogFields, Logger } from './core/deps.js';
import { redactSecrets } from './core/redact.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createConsoleLogger(opts: { json?: boolean; level?: Level } = {}): Logger {
  const min = order[opts.level ?? 'info'];
  const write = (level: Level, msg: string, fields?: LogFields) => {
    if (order[level] < min) return;
    const out = level === 'error' || level === 'warn' ? console.error : console.log;
    // Most lines (every request's) carry only numbers: skip the walk for them.
    if (fields && Object.values(fields).some((v) => typeof v === 'string' || (typeof v === 'object' && v !== null))) fields = redactFields(fields);
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

/**
 * Fields carry text we did not write (error messages, stacks, provider answers), so tokens and addresses are
 * scrubbed from them here, at the one place every line passes. Messages are our own templates and are not
 * touched: the dev-mailbox sign-in line prints its link on purpose.
 */
function redactFields(fields: LogFields): LogFields {
  const scrub = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactSecrets(v);
    if (depth > 4 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x, depth + 1)]));
  };
  return scrub(fields, 0) as LogFields;
}

export interface MemoryLogger extends Logger {
  lines: { level: Level; msg: string; fields?: LogFields }[];
}

export function createMemoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  const push = (level: Level) => (msg: string, fields?: LogFields) => void lines.push({ level, msg, fields });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
