// WAL checkpoints on a helper thread: the main connection stops checkpointing (no fsync stalls on the event loop),
// the thread copies committed pages into the database file, and a thread that cannot run hands the job back.
// After an erase, truncate() empties the WAL, waiting out readers without holding up writers for long.
import { existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer, type Checkpointer } from '../src/db/sqlite/checkpointer.js';
import { createTestDb, type TestDb } from './helpers/db.js';

let db: TestDb;
let ck: Checkpointer | undefined;
const warnings: string[] = [];
const log = { warn: (m: string) => void warnings.push(m) };

afterEach(async () => {
  await ck?.stop();
  ck = undefined;
  warnings.length = 0;
  await db?.cleanup();
});

const autoCheckpoint = () => db.sqlite.pragma('wal_autocheckpoint', { simple: true });

function writePages(rows: number) {
  const insert = db.sqlite.prepare("INSERT INTO audit_log (actor, action, details, created_at) VALUES ('test', 'fill', ?, '2026-11-26T00:00:00Z')");
  db.sqlite.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run('y'.repeat(900));
  })();
}

describe('WAL checkpointer thread', () => {
  it('takes checkpoints off the main connection and writes the WAL back into the database file', async () => {
    db = createTestDb();
    ck = startCheckpointer(db, db.path, log, { everyMs: 20 });
    await expect.poll(() => ck!.active, { timeout: 5000 }).toBe(true);
    expect(autoCheckpoint()).toBe(0);
    const before = statSync(db.path).size;
    for (let i = 0; i < 5; i++) writePages(2000); // ~10 MB through the WAL, well past the automatic threshold
    // Only the thread checkpoints now: the database file grows as it copies the pages in.
    await expect.poll(() => statSync(db.path).size, { timeout: 5000 }).toBeGreaterThan(before + 5_000_000);
    await ck.stop();
    expect(ck.active).toBe(false);
    expect(autoCheckpoint()).toBe(1000);
    expect(warnings).toEqual([]);
  });

  it('hands checkpoints back to the main connection when the thread cannot open the database', async () => {
    db = createTestDb();
    ck = startCheckpointer(db, `${db.path}/not-a-file.db`, log, { everyMs: 20 });
    await expect.poll(() => warnings.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/WAL checkpoint thread stopped/);
    expect(ck.active).toBe(false);
    expect(autoCheckpoint()).toBe(1000);
  });

  it('truncate() copies the whole WAL into the database file and cuts it to zero bytes', async () => {
    db = createTestDb();
    ck = startCheckpointer(db, db.path, log, { everyMs: 20 });
    await expect.poll(() => ck!.active, { timeout: 5000 }).toBe(true);
    writePages(500);
    expect(walSize()).toBeGreaterThan(400_000);
    await expect(ck.truncate()).resolves.toBe(true);
    expect(walSize()).toBe(0);
    expect(db.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'fill'").get()).toEqual({ n: 500 });
    expect(warnings).toEqual([]);
  });

  it('truncate() waits for a reader that holds an old snapshot, and writes go on meanwhile', async () => {
    db = createTestDb();
    ck = startCheckpointer(db, db.path, log, { everyMs: 20, maxBackoffMs: 50 });
    await expect.poll(() => ck!.active, { timeout: 5000 }).toBe(true);
    writePages(200);
    const reader = new BetterSqlite3(db.path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM audit_log').get(); // the snapshot: its frames cannot be cut away
    let done = false;
    const truncated = ck.truncate().then((ok) => ((done = true), ok));
    await new Promise((r) => setTimeout(r, 400));
    expect(done).toBe(false);
    writePages(10); // the main connection is not locked out while the checkpoint waits
    expect(walSize()).toBeGreaterThan(0);
    reader.exec('COMMIT');
    reader.close();
    await expect(truncated).resolves.toBe(true);
    expect(walSize()).toBe(0);
  });

  it('truncate() works on the main connection when the thread cannot run', async () => {
    db = createTestDb();
    ck = startCheckpointer(db, `${db.path}/not-a-file.db`, log, { everyMs: 20 });
    await expect.poll(() => warnings.length, { timeout: 5000 }).toBeGreaterThan(0);
    writePages(200);
    expect(walSize()).toBeGreaterThan(0);
    await expect(ck.truncate()).resolves.toBe(true);
    expect(walSize()).toBe(0);
  });
});

function walSize(): number {
  return existsSync(`${db.path}-wal`) ? statSync(`${db.path}-wal`).size : 0;
}
