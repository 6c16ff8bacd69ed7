// Kysely on Cloudflare D1. D1 runs every statement in its own implicit transaction and has no
// interactive transactions, so this dialect turns the core's transactions into sequencers.
//
// Why a sequencer is safe here (the rule for every repo that runs on Workers):
// - Transactions (`db.transaction()`, and the outbox's `BEGIN IMMEDIATE` … `COMMIT` through
//   `db.connection()`) run their statements one by one on D1, each committed on its own. BEGIN,
//   COMMIT, ROLLBACK and SAVEPOINT are answered here without reaching D1; a rollback undoes nothing.
// - Within one isolate the single "connection" is held by a mutex for the whole transaction, as
//   Kysely's SqliteDriver does, so sibling work in the same invocation never interleaves with it.
// - Across invocations statements may interleave. The outbox was written for that: every claim is
//   one UPDATE (D1 executes statements serially, so two claimers never take the same row), every
//   step is idempotent and conditional on the state it expects, a half-made claim is repaired on
//   the next run (an unattempted batch is re-suppressed and re-frozen, an empty one is closed), and
//   a batch is only ever sent under its stored idempotency key. The queue consumer also runs with
//   max_concurrency = 1 (wrangler.toml), so only one invocation sends at a time.
// - What is lost is all-or-nothing for multi-statement business writes (signup, confirm, erase):
//   a Worker dying between two statements leaves the earlier ones written. Each of those flows is
//   conditional and repeatable (a second click or signup completes it), and none can send twice.
//
// D1 also caps bound parameters at 100 per statement (SQLite's own cap is 32k, and the repos chunk
// multi-row writes for that): a statement with more is sent with its values written into the SQL as
// literals, escaped the way SQLite's quote() does, within D1's 100 KB statement limit.
import {
  type CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/** The part of Cloudflare's D1Database binding this dialect uses. */
export interface D1DatabaseLike {
  prepare(query: string): D1StatementLike;
}

export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  all<T = Record<string, unknown>>(): Promise<{ results?: T[]; meta?: { changes?: number; last_row_id?: number | null } }>;
}

export interface D1DialectOptions {
  /** Called once per statement sent to D1 (tests count round trips per batch with it). */
  onQuery?: (sql: string) => void;
  /** A transaction failed after some of its statements were written: D1 cannot undo them. */
  onRollback?: () => void;
}

export const D1_MAX_PARAMETERS = 100;

export function createD1Dialect(database: D1DatabaseLike, options: D1DialectOptions = {}): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new D1Driver(database, options),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    // D1 refuses the sqlite_master queries introspection needs; nothing in the app introspects.
    // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface declares this parameter as Kysely<any>
    createIntrospector: (db: Kysely<any>): DatabaseIntrospector => new SqliteIntrospector(db),
  };
}

const TX_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;

class D1Driver implements Driver {
  readonly #connection: D1Connection;
  #lock: Promise<void> = Promise.resolve();
  #unlock: (() => void) | null = null;

  constructor(
    database: D1DatabaseLike,
    private readonly options: D1DialectOptions,
  ) {
    this.#connection = new D1Connection(database, options);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#unlock = release;
    return this.#connection;
  }

  async beginTransaction(): Promise<void> {}

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {
    this.options.onRollback?.();
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.#unlock;
    this.#unlock = null;
    unlock?.();
  }

  async destroy(): Promise<void> {}
}

class D1Connection implements DatabaseConnection {
  constructor(
    private readonly database: D1DatabaseLike,
    private readonly options: D1DialectOptions,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (TX_CONTROL.test(compiled.sql)) {
      if (/^\s*rollback\b/i.test(compiled.sql)) this.options.onRollback?.();
      return { rows: [] };
    }
    const params = compiled.parameters as unknown[];
    const statement =
      params.length > D1_MAX_PARAMETERS
        ? this.database.prepare(inlineParameters(compiled.sql, params))
        : params.length > 0
          ? this.database.prepare(compiled.sql).bind(...params.map(toD1Value))
          : this.database.prepare(compiled.sql);
    this.options.onQuery?.(compiled.sql);
    const result = await statement.all<R>();
    const meta = result.meta ?? {};
    return {
      rows: result.results ?? [],
      numAffectedRows: typeof meta.changes === 'number' ? BigInt(meta.changes) : undefined,
      insertId: typeof meta.last_row_id === 'number' ? BigInt(meta.last_row_id) : undefined,
    };
  }

  // biome-ignore lint/correctness/useYield: the driver interface asks for an async generator; D1 has none to give
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('D1 does not stream query results');
  }
}

function toD1Value(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** SQLite literal for one bound value: strings quoted with '' doubled (SQLite has no backslash escapes). */
export function sqliteLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} into SQL`);
    return String(v);
  }
  if (typeof v === 'string') {
    if (v.includes('\0')) throw new Error('cannot inline a string containing NUL into SQL');
    return `'${v.replace(/'/g, "''")}'`;
  }
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
    const bytes = v instanceof Uint8Array ? v : new Uint8Array(v);
    return `X'${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}'`;
  }
  throw new Error(`cannot inline a ${typeof v} parameter into SQL`);
}

/** Replaces each `?` placeholder outside quotes and comments with its value as a literal. */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    const close = c === "'" || c === '"' || c === '`' ? c : c === '[' ? ']' : null;
    if (close) {
      const end = sql.indexOf(close, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      if (/\d/.test(sql[i + 1] ?? '')) throw new Error('numbered placeholders (?NNN) are not supported when inlining');
      if (next >= params.length) throw new Error('more placeholders than parameters');
      out += sqliteLiteral(params[next++]);
    } else {
      out += c;
    }
  }
  if (next !== params.length) throw new Error(`${params.length} parameters for ${next} placeholders`);
  return out;
}
