import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { appliedMigrations, migrateSqlite, readMigrations } from '../src/db/migrate.js';
import { tempDir } from './helpers/db.js';
import { rmSync } from 'node:fs';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

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
    for (const t of ['events', 'subscribers', 'consents', 'issues', 'issue_items', 'deliveries', 'editors', 'sessions', 'webhook_events', 'audit_log', 'job_locks', 'd1_migrations']) {
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
});
