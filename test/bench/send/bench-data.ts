// Benchmark data: a real migrated SQLite file with N active readers and one issue in "sending", built from the same
// helpers the tests use (demo events for a realistic 10-item issue, or a one-item issue to keep bodies small).
import { buildDraft } from '../../../src/core/build-draft.js';
import { startSending } from '../../../src/core/issue-lifecycle.js';
import { seedDemoEvents } from '../../../src/core/seed-demo.js';
import { prepareIssueSend } from '../../../src/core/send/prepare-issue.js';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrateSqlite } from '../../../src/db/migrate.js';
import { openSqlite } from '../../../src/db/sqlite.js';
import type { TestDb } from '../../helpers/db.js';
import { makeDeps, realClock, type TestDeps } from '../../helpers/deps.js';
import { seedSendingIssue, seedSubscribers } from '../../helpers/seed.js';

export interface SendingDb {
  deps: TestDeps;
  issueId: string;
  /** Bytes of one recipient's html + text. */
  mailBytes?: number;
  seedMs: number;
}

/**
 * `issue: 'demo'` is the current week's draft from the demo events (~27 KB of HTML per mail); `'small'` is one item
 * (~9 KB). With `prepare`, the snapshot is rendered and the audience fanned out here, outside any timed region.
 */
export async function seedSendingDb(dir: string, readers: number, issue: 'demo' | 'small', prepare: boolean): Promise<SendingDb> {
  const deps = makeDeps({ clock: realClock(), config: { demoData: true }, testDb: createDbIn(dir) });
  try {
    const t0 = performance.now();
    seedSubscribers(deps.testDb.sqlite, readers);
    const seedMs = performance.now() - t0;
    let issueId: string;
    if (issue === 'demo') {
      await seedDemoEvents(deps);
      issueId = (await buildDraft(deps)).issue.id;
      await startSending(deps, issueId);
    } else {
      issueId = await seedSendingIssue(deps);
    }
    if (!prepare) return { deps, issueId, seedMs };
    const row = await prepareIssueSend(deps, issueId);
    return { deps, issueId, seedMs, mailBytes: Buffer.byteLength(row.html_snapshot ?? '') + Buffer.byteLength(row.text_snapshot ?? '') };
  } catch (e) {
    await deps.cleanup();
    throw e;
  }
}

/** Like createTestDb, but inside the bench's own temp folder, so an interrupted run leaves nothing behind. */
function createDbIn(dir: string): TestDb {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'recap.db');
  const handle = openSqlite(path);
  migrateSqlite(handle.sqlite);
  return {
    ...handle,
    path,
    dir,
    async cleanup() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A consistent, self-contained copy of the database (no -wal file needed). */
export function copyDb(db: SendingDb, target: string): void {
  db.deps.testDb.sqlite.prepare('VACUUM INTO ?').run(target);
}
