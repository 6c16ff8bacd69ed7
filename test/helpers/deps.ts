// Builds real deps for tests: a migrated SQLite file, the dev mailbox mailer, a movable clock, a collecting logger.
import { testConfig, type Config } from '../../src/config.js';
import { fixedClock, type Deps } from '../../src/core/deps.js';

/** A clock that follows real time but can still be moved (tests with backoff and leases). */
export function realClock(): ReturnType<typeof fixedClock> {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    set: (d) => {
      offset = new Date(d).getTime() - Date.now();
    },
    advance: (ms) => {
      offset += ms;
    },
  };
}
import { createMemoryLogger, type MemoryLogger } from '../../src/log.js';
import { createDevMailboxMailer } from '../../src/mail/dev-mailbox.js';
import type { Mailer } from '../../src/mail/mailer.js';
import { createTestDb, type TestDb } from './db.js';

export interface TestDeps extends Deps {
  clock: ReturnType<typeof fixedClock>;
  log: MemoryLogger;
  testDb: TestDb;
  cleanup(): Promise<void>;
}

export function makeDeps(
  opts: { config?: Partial<Config>; now?: string | Date; mailer?: Mailer; testDb?: TestDb; clock?: ReturnType<typeof fixedClock> } = {},
): TestDeps {
  const testDb = opts.testDb ?? createTestDb();
  const clock = opts.clock ?? fixedClock(opts.now ?? '2026-11-26T12:00:00.000Z');
  const config = testConfig({ databasePath: testDb.path, ...opts.config });
  return {
    db: testDb.db,
    clock,
    config,
    log: createMemoryLogger(),
    mailer: opts.mailer ?? createDevMailboxMailer(testDb.db, clock),
    testDb,
    cleanup: () => testDb.cleanup(),
  };
}
