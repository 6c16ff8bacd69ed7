import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { appliedMigrations, migrateSqlite, readMigrations } from '../src/db/sqlite/migrate.js';
import { tempDir } from './helpers/db.js';
import { rmSync } from 'node:fs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDb() {
  const dir = tempDir();
  dirs.push(dir);
  return new BetterSqlite3(join(dir, 'recap.db'));
}

describe('migrations', () => {
  it('apply every file to an empty database, in order, and record them where wrangler looks', () => {
    const db = freshDb();
    const files = readMigrations().map((m) => m.name);
    expect(files[0]).toBe('0001_init.sql');
    expect(migrateSqlite(db)).toEqual(files);
    expect(appliedMigrations(db)).toEqual(files);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of [
      'events',
      'subscribers',
      'consents',
      'issues',
      'issue_items',
      'deliveries',
      'editors',
      'sessions',
      'webhook_events',
      'audit_log',
      'job_locks',
      'd1_migrations',
    ]) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('are idempotent: a second run applies nothing and keeps data', () => {
    const db = freshDb();
    migrateSqlite(db);
    db.prepare("INSERT INTO editors (email, created_at) VALUES ('a@example.com', '2026-01-01')").run();
    expect(migrateSqlite(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM editors').get()).toEqual({ n: 1 });
    db.close();
  });

  it('roll back a failing migration as a whole and record nothing for it', () => {
    const db = freshDb();
    const good = readMigrations();
    const bad = [...good, { name: '9999_broken.sql', sql: 'CREATE TABLE half_done (id INTEGER);\nTHIS IS NOT SQL;' }];
    expect(() => migrateSqlite(db, bad)).toThrow();
    expect(appliedMigrations(db)).toEqual(good.map((m) => m.name));
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('index columns that are empty at insert only where they hold a value, and the queries on them still use those indexes', () => {
    const db = freshDb();
    migrateSqlite(db);
    const now = '2026-11-26T00:00:00.000Z';
    db.prepare("INSERT INTO subscribers (email, email_hash, name, created_at, updated_at) VALUES ('a@example.com', 'h', NULL, ?, ?)").run(now, now);
    db.prepare(
      "INSERT INTO deliveries (kind, to_email, subscriber_id, status, created_at, updated_at) VALUES ('confirm', 'a@example.com', 1, 'queued', ?, ?)",
    ).run(now, now);
    // A fresh signup and its queued confirmation leave no entry in these indexes.
    const laterColumns = [
      ['subscribers', 'subscribers_confirmed_at', 'confirmed_at'],
      ['subscribers', 'subscribers_unsubscribed_at', 'unsubscribed_at'],
      ['deliveries', 'deliveries_batch', 'batch_id'],
      ['deliveries', 'deliveries_resend', 'resend_id'],
    ] as const;
    for (const [table, index, column] of laterColumns) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table} INDEXED BY ${index} WHERE ${column} IS NOT NULL`).get()).toEqual({ n: 0 });
    }
    const plan = (q: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...Array((q.match(/\?/g) ?? []).length).fill('x')) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT count(*) FROM deliveries WHERE batch_id = ? AND status = 'claimed'")).toContain('USING INDEX deliveries_batch');
    expect(plan('SELECT id FROM deliveries WHERE resend_id = ?')).toContain('deliveries_resend');
    expect(plan('SELECT count(*) FROM subscribers WHERE confirmed_at <= ?')).toContain('subscribers_confirmed_at');
    expect(plan('SELECT confirmed_at FROM subscribers WHERE confirmed_at > ? AND confirmed_at <= ?')).toContain('subscribers_confirmed_at');
    const partial = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%IS NOT NULL%'").all() as { name: string }[];
    expect(partial.map((r) => r.name).sort()).toEqual(['deliveries_batch', 'deliveries_resend', 'subscribers_confirmed_at', 'subscribers_unsubscribed_at']);
    db.close();
  });
});
