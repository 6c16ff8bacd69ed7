// A restored file is older than what the provider already accepted: every issue that was sending (or due) waits,
// with the window at risk stated, and nothing of it is sent until an editor resumes it.
import { existsSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../src/core/send/dispatch.js';
import { scheduleIssue } from '../src/core/issues/issue-lifecycle.js';
import { getIssueView } from '../src/core/issues/issue-view.js';
import { holdSendsAfterRestore, resumeIssue } from '../src/core/send/restore-hold.js';
import { createProviderPacer } from '../src/core/send/provider-pacer.js';
import { runOutbox } from '../src/core/send/run-outbox.js';
import { listMailbox } from '../src/db/repos/dev-mailbox.js';
import { getIssue } from '../src/db/repos/issues.js';
import { claimNewBatch, markAttempt } from '../src/db/repos/outbox.js';
import { openSqlite } from '../src/db/sqlite/open-sqlite.js';
import { backupDatabase } from '../src/db/sqlite/backup.js';
import { restoreDatabase } from '../src/db/sqlite/restore.js';
import type { Clock } from '../src/core/deps.js';
import { createMemoryLogger } from '../src/log.js';
import { createResendMailer } from '../src/mail/resend-mailer.js';
import { startFakeResend, type FakeResend } from './fake-resend/server.js';
import { tempDir } from './helpers/db.js';
import { makeDeps, realClock, type TestDeps } from './helpers/deps.js';
import { startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { seedDraft, seedSendingIssue, seedSubscribers } from './helpers/seed.js';

/** The hold the CLI's restore puts on sending issues, written into the staged copy before it goes live. */
const holdWith = (clock: Clock) => (db: TestDeps['db'], at: string, source: string) =>
  holdSendsAfterRestore({ db, clock, log: createMemoryLogger() }, at, source);

let fake: FakeResend | undefined;
let deps: TestDeps | undefined;
let site: EditorSite | undefined;
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await site?.close();
  site = undefined;
  await fake?.close();
  fake = undefined;
  await deps?.cleanup();
  deps = undefined;
});

function newDir() {
  const d = tempDir('recap-restore-');
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const limiter = createProviderPacer(Infinity);
const iso = (ms: number) => new Date(ms).toISOString();

/** The server starting again on the restored file: same config and mailer, a fresh connection. */
function reopen(d: TestDeps) {
  const handle = openSqlite(d.testDb.path);
  cleanups.push(() => handle.close());
  return { ...d, db: handle.db };
}

describe('restore', () => {
  it('holds the sending issue with the window at risk, and sends nothing of it until an editor resumes', async () => {
    fake = await startFakeResend({ ratePerSecond: false });
    const clock = realClock();
    deps = makeDeps({ clock, mailer: createResendMailer({ apiKey: 're_restore_test', timeoutMs: 3000, baseUrl: fake.url }) });
    seedSubscribers(deps.testDb.sqlite, 300);
    const issueId = await seedSendingIssue(deps);
    const sendUntil = (total: number) =>
      runOutbox(deps!, { owner: 'server', limiter, leaseMs: 30_000, concurrency: 1, shouldStop: () => fake!.state.emails.length >= total });
    await sendUntil(100);
    expect(fake.state.emails).toHaveLength(100);
    // a provider call in flight at the moment of the backup: attempted, no answer recorded
    const t = clock.now().getTime();
    const inFlight = await claimNewBatch(deps.db, {
      issueId,
      keyPrefix: `wr-${issueId}-x`,
      limit: 50,
      owner: 'old-server',
      leaseUntilIso: iso(t + 3600_000),
      nowIso: iso(t),
    });
    expect(await markAttempt(deps.db, inFlight!.id, 'old-server', iso(t), iso(t + 3600_000))).toBe(true);

    const backup = await backupDatabase({ sourcePath: deps.testDb.path, dir: newDir(), clock });
    // the server went on after the backup (100 more accepted and recorded), then its disk was lost
    await sendUntil(200);
    expect(fake.state.emails).toHaveLength(200);
    await deps.testDb.close();

    clock.advance(2 * 3600_000); // restored later; the in-flight batch's lease has run out by then
    const restored = await restoreDatabase({ databasePath: deps.testDb.path, file: backup.path, clock, log: createMemoryLogger(), hold: holdWith(clock) });
    expect(restored.keptAs).toMatch(/recap\.db\.before-restore-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
    expect(existsSync(restored.keptAs!)).toBe(true);
    expect(restored.takenAtFrom).toBe('mark');
    expect(restored.hold.held).toHaveLength(1);
    const held = restored.hold.held[0];
    // 150 queued + the 50 in flight were not recorded as sent in the backup: any of them may have gone out since
    expect(held).toMatchObject({ id: issueId, status: 'sending', atRisk: 200, inFlightBatches: 1, inFlightMails: 50 });
    expect(held.reason).toContain(`Restored from a backup taken at ${backup.takenAt}; mails accepted by the provider after that time are not recorded here.`);
    expect(held.reason).toContain(`Between ${backup.takenAt} and ${restored.hold.restoredAt} up to 200 more mails may have gone out.`);
    expect(held.reason).toContain('1 batch (50 mails) handed to the provider without a recorded answer');
    expect(held.reason).toContain("Resume only after checking Resend's logs.");

    const server = reopen(deps);
    for (let i = 0; i < 3; i++) await dispatch(server, { owner: 'new-server', limiter, leaseMs: 30_000, concurrency: 2 });
    expect(fake.state.emails).toHaveLength(200); // not one more
    expect(await getIssue(server.db, issueId)).toMatchObject({ status: 'sending', paused_reason: held.reason });
    const view = await getIssueView(server, issueId);
    expect({ held: view.heldForEditor, reason: view.pausedReason }).toEqual({ held: true, reason: held.reason });

    await resumeIssue(server, issueId);
    await dispatch(server, { owner: 'new-server', limiter, leaseMs: 30_000, concurrency: 2 });
    expect((await getIssue(server.db, issueId))?.status).toBe('sent');
    const counts = fake.state.countByRecipient();
    expect(counts.size).toBe(300);
  });

  it('also holds an issue that was scheduled and came due after the backup', async () => {
    const clock = realClock();
    deps = makeDeps({ clock });
    seedSubscribers(deps.testDb.sqlite, 20);
    const issueId = await seedDraft(deps);
    await scheduleIssue(deps, issueId, new Date(clock.now().getTime() + 60_000));
    const backup = await backupDatabase({ sourcePath: deps.testDb.path, dir: newDir(), clock });
    await deps.testDb.close();

    clock.advance(5 * 60_000);
    const restored = await restoreDatabase({ databasePath: deps.testDb.path, file: backup.path, clock, log: createMemoryLogger(), hold: holdWith(clock) });
    expect(restored.hold.held.map((h) => [h.id, h.status, h.atRisk])).toEqual([[issueId, 'scheduled', 20]]);
    expect(restored.hold.held[0].reason).toMatch(/was scheduled for .* and may have started sending after the backup/);

    const server = reopen(deps);
    const r = await dispatch(server, { owner: 'new-server', limiter, leaseMs: 30_000 });
    expect(r.started).toEqual([issueId]); // it starts as scheduled, and waits
    const recaps = (await listMailbox(server.db, { limit: 100 })).filter((m) => !/sign/i.test(m.subject));
    expect(recaps).toEqual([]);
    expect(await getIssue(server.db, issueId)).toMatchObject({ status: 'sending', audience_total: null });
  });
});

describe('the editor resumes a held issue', () => {
  it('shows the hold and its window on the Send tab; "Resume sending" lets the sender go on', async () => {
    site = await startEditorSite();
    seedSubscribers(site.deps.testDb.sqlite, 5);
    const issueId = await seedSendingIssue(site.deps);
    const hold = await holdSendsAfterRestore(site.deps, '2026-11-25T03:00:00.000Z', 'recap-2026-11-25T03-00-00Z.db.gz');
    expect(hold.held.map((h) => h.id)).toEqual([issueId]);
    const { cookie, csrf } = await site.signIn(); // runs the sender for the sign-in mail too
    const recaps = async () => (await listMailbox(site!.deps.db, { limit: 100 })).filter((m) => m.to_addr.startsWith('reader'));
    expect(await recaps()).toEqual([]);

    const page = await (await fetch(`${site.url}/editor/issues/${issueId}/send`, { headers: { cookie } })).text();
    expect(page).toContain('Sending is on hold');
    expect(page).toContain('Restored from a backup taken at 2026-11-25T03:00:00.000Z');
    expect(page).toContain(`action="/editor/issues/${issueId}/resume"`);

    const res = await fetch(`${site.url}/editor/issues/${issueId}/resume`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf }),
    });
    expect(res.status).toBe(303);
    expect(await getIssue(site.deps.db, issueId)).toMatchObject({ paused_reason: null, resume_after: null });
    await site.flush();
    expect((await recaps()).length).toBe(5);
    expect((await getIssue(site.deps.db, issueId))?.status).toBe('sent');
    const audit = site.deps.testDb.sqlite
      .prepare("SELECT actor, action FROM audit_log WHERE action IN ('database.restored', 'issue.resumed') ORDER BY id")
      .all();
    expect(audit).toEqual([
      { actor: 'system', action: 'database.restored' },
      { actor: 'editor@example.com', action: 'issue.resumed' },
    ]);
  });
});
