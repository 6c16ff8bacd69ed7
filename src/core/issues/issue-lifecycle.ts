// The issue lifecycle: draft → scheduled → sending → sent, plus canceled and failed; only legal moves.
import { getIssue, transitionIssueRow, type updateIssue } from '../../db/repos/issues.js';
import type { IssueRow, IssueStatus } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { AppError, notFound } from '../errors.js';

/** Mirrors the trigger in migrations/0001_init.sql. */
export const LEGAL_TRANSITIONS: Record<IssueStatus, IssueStatus[]> = {
  draft: ['scheduled', 'sending', 'canceled'],
  scheduled: ['draft', 'sending', 'canceled', 'failed'],
  sending: ['sent', 'failed'],
  sent: [],
  canceled: ['draft'],
  failed: ['draft'],
};

export function canTransition(from: IssueStatus, to: IssueStatus): boolean {
  return from === to || LEGAL_TRANSITIONS[from].includes(to);
}

export async function requireIssue(deps: Pick<Deps, 'db'>, id: string): Promise<IssueRow> {
  const issue = await getIssue(deps.db, id);
  if (!issue) throw notFound(`issue ${id}`);
  return issue;
}

/** Moves the issue to `to` if legal from its current status; conflict when illegal or lost to a race. */
export async function transitionIssue(
  deps: Pick<Deps, 'db' | 'clock'>,
  id: string,
  to: IssueStatus,
  patch: Parameters<typeof updateIssue>[2] = {},
): Promise<IssueRow> {
  const issue = await requireIssue(deps, id);
  if (!canTransition(issue.status, to)) {
    throw new AppError('conflict', `cannot move issue ${id} from ${issue.status} to ${to}`);
  }
  // Conditional on the status we read: a concurrent move makes this a no-op instead of a double move.
  const ok = await transitionIssueRow(deps.db, id, [issue.status], to, {
    ...patch,
    updated_at: deps.clock.now().toISOString(),
  });
  if (!ok) throw new AppError('conflict', `issue ${id} changed concurrently; reload and try again`);
  return requireIssue(deps, id);
}

export async function scheduleIssue(deps: Pick<Deps, 'db' | 'clock'>, id: string, at: Date, source: 'editor' | 'auto' = 'editor'): Promise<IssueRow> {
  const now = deps.clock.now();
  if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', 'at must be an ISO date-time');
  if (at.getTime() < now.getTime() - 60_000) throw new AppError('validation_failed', 'the scheduled time is in the past');
  const issue = await requireIssue(deps, id);
  if (issue.status !== 'draft' && issue.status !== 'scheduled') {
    throw new AppError('conflict', `issue ${id} is ${issue.status}; only drafts and scheduled issues can be (re)scheduled`);
  }
  return transitionIssue(deps, id, 'scheduled', { scheduled_at: at.toISOString(), schedule_source: source, missed_at: null, failure_reason: null });
}

/** Takes a scheduled issue back to draft; the editor's choice sticks (AUTO_SEND will not reschedule it). */
export async function unscheduleIssue(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<IssueRow> {
  const issue = await requireIssue(deps, id);
  if (issue.status !== 'scheduled') throw new AppError('conflict', `issue ${id} is ${issue.status}, not scheduled`);
  return transitionIssue(deps, id, 'draft', { scheduled_at: null, schedule_source: 'editor' });
}

export async function cancelIssue(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<IssueRow> {
  return transitionIssue(deps, id, 'canceled', { canceled_at: deps.clock.now().toISOString(), scheduled_at: null });
}

export async function reopenIssue(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<IssueRow> {
  return transitionIssue(deps, id, 'draft', { canceled_at: null, failure_reason: null, missed_at: null, schedule_source: 'editor' });
}

/** Starts sending now (from draft or scheduled). The outbox does the rest. */
export async function startSending(deps: Pick<Deps, 'db' | 'clock' | 'wakeOutbox'>, id: string): Promise<IssueRow> {
  const issue = await requireIssue(deps, id);
  if (issue.status !== 'draft' && issue.status !== 'scheduled') {
    throw new AppError('conflict', `issue ${id} is ${issue.status}; it cannot be sent`);
  }
  const row = await transitionIssue(deps, id, 'sending', { started_at: deps.clock.now().toISOString() });
  deps.wakeOutbox?.();
  return row;
}
