// Loggers: readable lines on a terminal, JSON lines for whatever collects the output (LOG_FORMAT decides when set).
import type { LogFields, Logger } from './core/deps.js';
import { redactSecrets } from './core/redact.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set; otherwise readable lines for a person at a terminal, JSON lines for journald, Docker, a file. */
export function pickLogFormat(setting: string | undefined, isTTY: boolean | undefined): LogFormat {
  if (setting === 'json' || setting === 'pretty') return setting;
  return isTTY ? 'pretty' : 'json';
}

export interface ConsoleLoggerOptions {
  format?: LogFormat;
  /** Shorthand for `format: 'json'` (older callers). */
  json?: boolean;
  level?: Level;
  /** ANSI colours in the readable format (a terminal that is not told NO_COLOR). */
  color?: boolean;
}

export function createConsoleLogger(opts: ConsoleLoggerOptions = {}): Logger {
  const min = order[opts.level ?? 'info'];
  const format: LogFormat = opts.format ?? (opts.json ? 'json' : 'pretty');
  const write = (level: Level, msg: string, fields?: LogFields) => {
    if (order[level] < min) return;
    const out = level === 'error' || level === 'warn' ? console.error : console.log;
    // Most lines (every request's) carry only numbers: skip the walk for them.
    if (fields && Object.values(fields).some((v) => typeof v === 'string' || (typeof v === 'object' && v !== null))) fields = redactFields(fields);
    if (format === 'json') out(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }));
    else out(prettyLine(new Date(), level, msg, fields, opts.color ?? false));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

const COLOURS: Record<Level, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

/**
 * `14:03:07 WARN  message key=value key="two words"`: local time (the reader's clock), the level, our message, then
 * the fields. A field with line breaks (a stack) follows on its own indented lines, as a person wants to read it.
 */
export function prettyLine(at: Date, level: Level, msg: string, fields: LogFields | undefined, color: boolean): string {
  const time = at.toTimeString().slice(0, 8);
  const tag = level.toUpperCase().padEnd(5);
  const inline: string[] = [];
  const blocks: string[] = [];
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v === undefined) continue;
    if (typeof v === 'string' && v.includes('\n')) blocks.push(`${k}:\n${v.replace(/^/gm, '    ')}`);
    else inline.push(`${k}=${typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`);
  }
  const head = color ? `\x1b[2m${time}\x1b[0m ${COLOURS[level]}${tag}\x1b[0m` : `${time} ${tag}`;
  const line = `${head} ${msg}${inline.length ? ` ${inline.join(' ')}` : ''}`;
  return blocks.length ? `${line}\n${blocks.join('\n')}` : line;
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
