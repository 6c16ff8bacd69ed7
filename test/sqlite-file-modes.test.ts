// The data folder is 0700 and the database, its WAL and its shared-memory file 0600, whatever the umask, and a
// database left world-readable by an older version is tightened on the next start.
import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteHandle } from '../src/db/sqlite/open-sqlite.js';
import { createNodeRuntime, type NodeRuntime } from '../src/entry/node/runtime.js';
import { createMemoryLogger } from '../src/log.js';
import { tempDir } from './helpers/db.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const octal = (p: string) => `${p.split('/').pop()}: ${mode(p).toString(8)}`;

let savedUmask: number;
let dir: string;
const open: { close(): unknown }[] = [];
beforeEach(() => {
  savedUmask = process.umask(0o022); // the usual default: files 0644, folders 0755 unless asked otherwise
  dir = tempDir();
});
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  process.umask(savedUmask);
  rmSync(dir, { recursive: true, force: true });
});

function writeSomething(h: SqliteHandle) {
  h.sqlite.exec('CREATE TABLE IF NOT EXISTS t (x TEXT); INSERT INTO t VALUES (1)');
}

describe('database file permissions', () => {
  it('creates the folder 0700 and the database, WAL and SHM 0600', () => {
    const path = join(dir, 'data', 'recap.db');
    const h = openSqlite(path);
    open.push(h);
    writeSomething(h);
    expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
    expect([join(dir, 'data'), path, `${path}-wal`, `${path}-shm`].map(octal)).toEqual([
      'data: 700',
      'recap.db: 600',
      'recap.db-wal: 600',
      'recap.db-shm: 600',
    ]);
  });

  it('tightens a world-readable database, WAL and SHM left by an older version', () => {
    const path = join(dir, 'recap.db');
    const old = new BetterSqlite3(path); // as before: created with the umask's 0644
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
    open.push(old); // kept open so its WAL and SHM stay on disk
    for (const f of [path, `${path}-wal`, `${path}-shm`]) chmodSync(f, 0o644);
    const h = openSqlite(path);
    open.push(h);
    writeSomething(h);
    expect([path, `${path}-wal`, `${path}-shm`].map(octal)).toEqual(['recap.db: 600', 'recap.db-wal: 600', 'recap.db-shm: 600']);
  });

  it('npm start creates its data folder 0700 (the generated app secret lands there first)', async () => {
    const path = join(dir, 'data', 'recap.db');
    const rt: NodeRuntime = await createNodeRuntime({ DATABASE_PATH: path, NODE_ENV: 'test' }, { log: createMemoryLogger() });
    open.push(rt);
    expect([join(dir, 'data'), path, join(dir, 'data', 'app-secret')].map(octal)).toEqual(['data: 700', 'recap.db: 600', 'app-secret: 600']);
  });

  it('leaves an in-memory database alone', () => {
    const h = openSqlite(':memory:');
    open.push(h);
    writeSomething(h);
    expect(existsSync(':memory:')).toBe(false);
  });
});
