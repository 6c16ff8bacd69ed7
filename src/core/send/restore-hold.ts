// After a restore, sends the backup cannot vouch for wait for an editor: the hold, the window it states, and the resume.
import { countInFlightTransactional, listIssuesAtRisk } from '../../db/repos/backups.js';
import { countAudience } from '../../db/repos/editor-subscribers.js';
import { EDITOR_HOLD_UNTIL, updateIssue } from '../../db/repos/issues.js';
import type { IssueRow } from '../../db/schema.js';
import { recordAudit } from '../editors/audit.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { requireIssue } from '../issues/issue-lifecycle.js';

/** resume_after of an issue only an editor may release (defined beside the statements that honour it). */
export { EDITOR_HOLD_UNTIL };

export function isHeldForEditor(issue: Pick<IssueRow, 'resume_after'>): boolean {
  return issue.resume_after === EDITOR_HOLD_UNTIL;
}

export interface HeldIssue {
  id: string;
  status: 'sending' | 'scheduled';
  /** Mails of this issue that may have gone out between the backup and now without being recorded here. */
  atRisk: number;
  inFlightBatches: number;
  inFlightMails: number;
  reason: string;
}

export interface RestoreHoldResult {
  backupTakenAt: string;
  restoredAt: string;
  held: HeldIssue[];
  /** Transactional mails attempted in the backup without a recorded answer; retried under their own keys. */
  inFlightTransactional: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A restored file is older than what Resend already accepted: any mail recorded after the backup is queued
 * again here. Every issue that was sending (or was due to start) is paused with the window at risk stated,
 * and stays paused until an editor resumes it after checking the provider's logs.
 */
export async function holdSendsAfterRestore(deps: Pick<Deps, 'db' | 'clock' | 'log'>, backupTakenAt: string, source: string): Promise<RestoreHoldResult> {
  const now = deps.clock.now().toISOString();
  const held: HeldIssue[] = [];
  for (const issue of await listIssuesAtRisk(deps.db, now)) {
    // not fanned out yet (or never started): everyone in the audience may already have it
    const atRisk = issue.status === 'sending' && issue.audienceTotal !== null ? issue.unrecorded : await countAudience(deps.db, now);
    const parts = [
      `Restored from a backup taken at ${backupTakenAt}; mails accepted by the provider after that time are not recorded here.`,
      issue.status === 'scheduled' ? `This issue was scheduled for ${issue.scheduledAt} and may have started sending after the backup.` : '',
      `Between ${backupTakenAt} and ${now} up to ${plural(atRisk, 'more mail')} may have gone out.`,
      issue.inFlightBatches
        ? `The backup also holds ${plural(issue.inFlightBatches, 'batch', 'batches')} (${plural(issue.inFlightMails, 'mail')}) handed to the provider without a recorded answer: on resume they are retried under their original idempotency keys, which Resend honours for 24 h after the first attempt (older ones are held).`
        : '',
      "Resume only after checking Resend's logs.",
    ];
    const reason = parts.filter(Boolean).join(' ');
    await updateIssue(deps.db, issue.id, { paused_reason: reason, resume_after: EDITOR_HOLD_UNTIL, updated_at: now }, [issue.status]);
    held.push({ id: issue.id, status: issue.status, atRisk, inFlightBatches: issue.inFlightBatches, inFlightMails: issue.inFlightMails, reason });
    deps.log.warn(`Issue ${issue.id} is on hold after the restore: ${reason}`);
  }
  const inFlightTransactional = await countInFlightTransactional(deps.db);
  await recordAudit(deps, 'system', {
    action: 'database.restored',
    details: { source, backupTakenAt, held: held.map((h) => ({ id: h.id, atRisk: h.atRisk, inFlightMails: h.inFlightMails })), inFlightTransactional },
  });
  return { backupTakenAt, restoredAt: now, held, inFlightTransactional };
}

/**
 * The editor's release of a paused issue (a restore hold, a send guard's pause, or a provider pause they do not want
 * to wait out). Resuming past a guard disarms that guard for the rest of this send: the editor accepted the rate it
 * tripped on (the complaint stop threshold still applies).
 */
export async function resumeIssue(deps: Pick<Deps, 'db' | 'clock' | 'wakeOutbox'>, id: string): Promise<IssueRow> {
  const issue = await requireIssue(deps, id);
  if (!issue.paused_reason && !issue.resume_after) throw new AppError('conflict', `issue ${id} is not paused`);
  if (issue.status === 'sent' || issue.status === 'canceled') throw new AppError('conflict', `issue ${id} is ${issue.status}`);
  // conditional on the status read: a concurrent move leaves the pause for the editor to see again
  const cleared = issue.guard_paused ? [...issue.guards_cleared.split(',').filter(Boolean), issue.guard_paused].join(',') : issue.guards_cleared;
  const patch = { paused_reason: null, resume_after: null, guard_paused: null, guards_cleared: cleared, updated_at: deps.clock.now().toISOString() };
  const ok = await updateIssue(deps.db, id, patch, [issue.status]);
  if (!ok) throw new AppError('conflict', `issue ${id} changed concurrently; reload and try again`);
  deps.wakeOutbox?.();
  return requireIssue(deps, id);
}
