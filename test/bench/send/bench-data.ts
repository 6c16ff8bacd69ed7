// Benchmark data: a real migrated SQLite file with N active readers and one issue in "sending", built from the same
// helpers the tests use (demo events for a realistic 10-item issue, or a one-item issue to keep bodies small).
import { buildDraft } from '../../../src/core/issues/build-draft.js';
import { startSending } from '../../../src/core/issues/issue-lifecycle.js';
import { seedDemoEvents } from '../../../src/demo/seed-demo.js';
import { prepareIssueSend } from '../../../src/core/send/prepare-issue.js';
import { PLACEHOLDERS } from '../../../src/mail/placeholders.js';
import { createTestDbIn } from '../../helpers/db.js';
import { makeDeps, realClock, type TestDeps } from '../../helpers/deps.js';
import { seedSendingIssue, seedSubscribers } from '../../helpers/seed.js';

export interface SendingDb {
  deps: TestDeps;
  issueId: string;
  /** Bytes of one recipient's html + text. */
  mailBytes?: number;
  seedMs: number;
}

/** Stands in for the rendered snapshot where body size must not matter (pacing): every per-recipient slot, little else. */
const TINY_HTML = `<p>Hi ${PLACEHOLDERS.name},</p><p>This week in AI.</p><p><a href="${PLACEHOLDERS.preferencesUrl}">Preferences</a> · <a href="${PLACEHOLDERS.unsubscribeUrl}">Unsubscribe</a></p>`;
const TINY_TEXT = `Hi ${PLACEHOLDERS.name},\n\nThis week in AI.\n\nPreferences: ${PLACEHOLDERS.preferencesUrl}\nUnsubscribe: ${PLACEHOLDERS.unsubscribeUrl}\n`;

/**
 * `issue: 'demo'` is the current week's draft from the demo events (~27 KB of HTML per mail); `'small'` is one item
 * (~9 KB); `'tiny'` is 'small' with its stored snapshot cut to ~0.3 KB (implies prepare). With `prepare`, the snapshot
 * is rendered and the audience fanned out here, outside any timed region.
 */
export async function seedSendingDb(
  dir: string,
  readers: number,
  issue: 'demo' | 'small' | 'tiny',
  prepare: boolean,
  topics?: (i: number) => readonly string[],
): Promise<SendingDb> {
  const deps = makeDeps({ clock: realClock(), config: { demoData: true }, testDb: createTestDbIn(dir) });
  try {
    const t0 = performance.now();
    seedSubscribers(deps.testDb.sqlite, readers, { topics });
    const seedMs = performance.now() - t0;
    let issueId: string;
    if (issue === 'demo') {
      await seedDemoEvents(deps);
      issueId = (await buildDraft(deps)).issue.id;
      await startSending(deps, issueId);
    } else {
      issueId = await seedSendingIssue(deps);
    }
    if (!prepare && issue !== 'tiny') return { deps, issueId, seedMs };
    let row = await prepareIssueSend(deps, issueId);
    if (issue === 'tiny') {
      deps.testDb.sqlite.prepare('UPDATE issues SET html_snapshot = ?, text_snapshot = ? WHERE id = ?').run(TINY_HTML, TINY_TEXT, issueId);
      row = { ...row, html_snapshot: TINY_HTML, text_snapshot: TINY_TEXT };
    }
    return { deps, issueId, seedMs, mailBytes: Buffer.byteLength(row.html_snapshot ?? '') + Buffer.byteLength(row.text_snapshot ?? '') };
  } catch (e) {
    await deps.cleanup();
    throw e;
  }
}

/** A consistent, self-contained copy of the database (no -wal file needed). */
export function copyDb(db: SendingDb, target: string): void {
  db.deps.testDb.sqlite.prepare('VACUUM INTO ?').run(target);
}
