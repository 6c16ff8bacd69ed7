// Wires the Node runtime once (config, SQLite, migrations, mailer, logger) for the server and the CLI.
import { parseConfig, type Config } from '../../config.js';
import { systemClock, type Clock, type Deps, type Logger } from '../../core/deps.js';
import { createClickBuffer } from '../../db/click-buffer.js';
import { openSqlite, type SqliteHandle } from '../../db/sqlite/open-sqlite.js';
import { migrateWithBackup } from '../../db/sqlite/migrate-with-backup.js';
import { unknownMigrations } from '../../db/sqlite/migrate.js';
import { createConsoleLogger, pickLogFormat } from '../../log.js';
import { createDevMailboxMailer } from '../../mail/dev-mailbox.js';
import type { Mailer } from '../../mail/mailer.js';
import { createResendMailer } from '../../mail/resend-mailer.js';
import { meterMailer } from '../../mail/metered-mailer.js';
import { createPromMetrics, type PromMetrics } from './prom-metrics.js';
import { loadOrCreateAppSecret } from './app-secret.js';
import { tuneHeap } from './heap.js';
import { databaseError, newerDatabaseError, StartupError } from './startup-error.js';

export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`Invalid configuration:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface NodeRuntime {
  deps: Deps;
  config: Config;
  sqlite: SqliteHandle;
  appliedMigrations: string[];
  /** This process's own metrics registry (GET /metrics); the provider calls are timed through it. */
  metrics: PromMetrics;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  log?: Logger;
  clock?: Clock;
  mailer?: Mailer;
}

/** Parses config (failing fast with every bad variable), opens and migrates the database, picks the mailer. */
export function loadNodeConfig(env: Record<string, string | undefined>, log: Logger): Config {
  const databasePath = env.DATABASE_PATH || './data/recap.db';
  let fallback: string | undefined;
  if (!env.APP_SECRET) {
    let s: ReturnType<typeof loadOrCreateAppSecret>;
    try {
      s = loadOrCreateAppSecret(databasePath);
    } catch (e) {
      throw databaseError(databasePath, e) ?? e; // the secret goes into the database's folder
    }
    fallback = s.secret;
    if (s.created) log.warn(`APP_SECRET is not set: generated one into ${s.path}. Set APP_SECRET in production.`);
  }
  const r = parseConfig(env, fallback);
  if (!r.ok) throw new ConfigError(r.errors);
  return r.config;
}

/**
 * Opens DATABASE_PATH and applies pending migrations; what the operator can fix (a folder this user cannot write, a
 * database migrated by a newer version) comes out as a one-line StartupError (src/entry/node/startup-error.ts).
 */
async function openAndMigrate(config: Config, clock: Clock, log: Logger): Promise<{ sqlite: SqliteHandle; appliedMigrations: string[] }> {
  const path = config.databasePath;
  let sqlite: SqliteHandle;
  try {
    sqlite = openSqlite(path);
  } catch (e) {
    throw databaseError(path, e) ?? e;
  }
  try {
    const unknown = unknownMigrations(sqlite.sqlite);
    if (unknown.length) throw newerDatabaseError(path, unknown);
    // an existing database is backed up before a new migration changes it (src/db/sqlite/migrate-with-backup.ts)
    const appliedMigrations = await migrateWithBackup(sqlite, { path, backupDir: config.backupDir, clock, log });
    return { sqlite, appliedMigrations };
  } catch (e) {
    await sqlite.close();
    throw e instanceof StartupError ? e : (databaseError(path, e) ?? e);
  }
}

export async function createNodeRuntime(env: Record<string, string | undefined> = process.env, options: RuntimeOptions = {}): Promise<NodeRuntime> {
  tuneHeap();
  const tty = process.stdout.isTTY;
  const log =
    options.log ?? createConsoleLogger({ format: pickLogFormat(env.LOG_FORMAT, tty), color: tty && !env.NO_COLOR, level: (env.LOG_LEVEL as 'info') || 'info' });
  const config = loadNodeConfig(env, log);
  const { sqlite, appliedMigrations } = await openAndMigrate(config, options.clock ?? systemClock, log);
  const clock = options.clock ?? systemClock;
  const mailer =
    options.mailer ??
    (config.resendApiKey ? createResendMailer({ apiKey: config.resendApiKey, timeoutMs: config.resendTimeoutMs }) : createDevMailboxMailer(sqlite.db, clock));
  const metrics = createPromMetrics();
  // Clicks on /r/:token are counted in memory and written once a second: the redirect never waits for a commit.
  const clickSink = createClickBuffer(sqlite.db, {
    onError: (err) => log.warn('Could not store clicks; kept for the next try', { err: err instanceof Error ? err.message : String(err) }),
  });
  const deps: Deps = { db: sqlite.db, mailer: meterMailer(mailer, metrics), clock, config, log, metrics, clickSink };
  return {
    deps,
    config,
    sqlite,
    appliedMigrations,
    metrics,
    close: async () => {
      await clickSink.close(); // the last second's clicks, before the database goes
      await sqlite.close();
    },
  };
}
