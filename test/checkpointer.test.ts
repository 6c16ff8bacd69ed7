// WAL checkpoints on a helper thread: the main connection stops checkpointing (no fsync stalls on the event loop),
// the thread copies committed pages into the database file, and a thread that cannot run hands the job back.
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer, type Checkpointer } from '../src/db/checkpointer.js';
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
});
