// The ports every core function receives: database, mailer, clock, config and log.
import type { Config } from '../config.js';
import type { ClickSink } from '../db/click-buffer.js';
import type { DB } from '../db/schema.js';
import type { Mailer } from '../mail/mailer.js';
import type { Metrics } from './metrics.js';

export interface Clock {
  now(): Date;
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface Deps {
  db: DB;
  mailer: Mailer;
  clock: Clock;
  config: Config;
  log: Logger;
  /** Counters and histograms (src/core/metrics.ts); absent: nothing is measured (Workers, most tests). */
  metrics?: Metrics;
  /** Called after mail is enqueued so the outbox flushes within seconds instead of at the next tick. */
  wakeOutbox?: () => void;
  /**
   * Called after a reader's data is erased, so the runtime can purge the storage's own copies of the old rows (on
   * Node: a truncating WAL checkpoint). Returns at once; the purge runs in the background.
   */
  afterErase?: () => void;
  /** Where GET /r/:token counts clicks (Node: an in-memory buffer flushed every second); absent: each click is written at once (Workers). */
  clickSink?: ClickSink;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can move by hand. */
export function fixedClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export function nowIso(clock: Clock): string {
  return clock.now().toISOString();
}
