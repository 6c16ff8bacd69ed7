// Issue and issue-item storage; status changes are conditional updates so racing processes cannot both win.
import { sql } from 'kysely';
import type { DB, GuardKind, IssueItemRow, IssueRow, IssueStatus, IssueUpdate } from '../schema.js';

/**
 * resume_after of an issue only an editor may release (a restore hold, a send guard's pause). The sender already skips
 * an issue until resume_after (sendable-issues.ts; leaseDueBatch for its batches), so a date no clock reaches is a hold
 * without a new column.
 */
export const EDITOR_HOLD_UNTIL = '9999-12-31T23:59:59.999Z';

const notOnEditorHold = sql<boolean>`(resume_after IS NULL OR resume_after <> ${EDITOR_HOLD_UNTIL})`;

export async function getIssue(db: DB, id: string): Promise<IssueRow | undefined> {
  return db.selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getIssueByWeek(db: DB, week: string): Promise<IssueRow | undefined> {
  return db.selectFrom('issues').selectAll().where('week', '=', week).executeTakeFirst();
}

export async function getIssueBySlug(db: DB, slug: string): Promise<IssueRow | undefined> {
  return db.selectFrom('issues').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listIssues(db: DB, opts: { status?: IssueStatus[]; limit?: number } = {}): Promise<IssueRow[]> {
  let q = db.selectFrom('issues').selectAll();
  if (opts.status?.length) q = q.where('status', 'in', opts.status);
  return q
    .orderBy('week', 'desc')
    .limit(opts.limit ?? 100)
    .execute();
}

export async function insertIssue(db: DB, row: Parameters<ReturnType<DB['insertInto']>['values']>[0] & object): Promise<void> {
  await db
    .insertInto('issues')
    .values(row as never)
    .onConflict((oc) => oc.column('week').doNothing())
    .execute();
}

/** Moves an issue from one of `from` to `to`; returns false when another actor got there first. */
export async function transitionIssueRow(db: DB, id: string, from: IssueStatus[], to: IssueStatus, patch: IssueUpdate): Promise<boolean> {
  const r = await db
    .updateTable('issues')
    .set({ ...patch, status: to })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateIssue(db: DB, id: string, patch: IssueUpdate, onlyIn?: IssueStatus[]): Promise<boolean> {
  let q = db.updateTable('issues').set(patch).where('id', '=', id);
  if (onlyIn) q = q.where('status', 'in', onlyIn);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A provider pause (quota, refused key) until a time. Never over an editor hold: a quota error in a batch that was in
 * flight when a guard paused the issue must not turn the editor's hold into one that lifts by itself.
 */
export async function setProviderPause(db: DB, id: string, reason: string, untilIso: string): Promise<void> {
  await db.updateTable('issues').set({ paused_reason: reason, resume_after: untilIso }).where('id', '=', id).where(notOnEditorHold).execute();
}

/** Lifts a provider pause once a batch went through; an editor hold stays (only resumeIssue lifts it). */
export async function clearProviderPause(db: DB, id: string): Promise<void> {
  await db.updateTable('issues').set({ paused_reason: null, resume_after: null }).where('id', '=', id).where(notOnEditorHold).execute();
}

/**
 * A send guard's pause: an editor hold naming the guard. Only while sending, not over another editor hold, and not for
 * a guard the editor already resumed past in this send. True when this call paused it.
 */
export async function pauseIssueForGuard(db: DB, id: string, kind: GuardKind, reason: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('issues')
    .set({ paused_reason: reason, resume_after: EDITOR_HOLD_UNTIL, guard_paused: kind, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('guard_paused', 'is', null)
    .where(notOnEditorHold)
    .where(sql<boolean>`instr(',' || guards_cleared || ',', ${`,${kind},`}) = 0`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listDueIssues(db: DB, nowIso: string): Promise<IssueRow[]> {
  return db.selectFrom('issues').selectAll().where('status', '=', 'scheduled').where('scheduled_at', '<=', nowIso).orderBy('scheduled_at').execute();
}

export async function listIssuesInStatus(db: DB, status: IssueStatus): Promise<IssueRow[]> {
  return db.selectFrom('issues').selectAll().where('status', '=', status).orderBy('week').execute();
}

export async function listItems(db: DB, issueId: string): Promise<IssueItemRow[]> {
  return db.selectFrom('issue_items').selectAll().where('issue_id', '=', issueId).orderBy('position').orderBy('id').execute();
}

export type ItemWrite = Omit<IssueItemRow, 'id' | 'created_at' | 'updated_at' | 'issue_id'>;

/** Replaces an issue's items in one transaction (rebuilds and reorders write the whole list). */
export async function replaceItems(db: DB, issueId: string, items: ItemWrite[], nowIso: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const keep = items.map((i) => i.event_id);
    let del = trx.deleteFrom('issue_items').where('issue_id', '=', issueId);
    if (keep.length) del = del.where('event_id', 'not in', keep);
    await del.execute();
    for (const it of items) {
      await trx
        .insertInto('issue_items')
        .values({ ...it, issue_id: issueId, created_at: nowIso, updated_at: nowIso })
        .onConflict((oc) =>
          oc.columns(['issue_id', 'event_id']).doUpdateSet({
            position: it.position,
            pinned: it.pinned,
            excluded: it.excluded,
            manual_position: it.manual_position,
            added_by: it.added_by,
            title_override: it.title_override,
            blurb_override: it.blurb_override,
            score: it.score,
            score_breakdown: it.score_breakdown,
            merged_event_ids: it.merged_event_ids,
            source_count: it.source_count,
            updated_at: nowIso,
          }),
        )
        .execute();
    }
  });
}

export async function updateItem(db: DB, issueId: string, itemId: number, patch: Partial<ItemWrite>, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('issue_items')
    .set({ ...patch, updated_at: nowIso })
    .where('issue_id', '=', issueId)
    .where('id', '=', itemId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteItem(db: DB, issueId: string, itemId: number): Promise<void> {
  await db.deleteFrom('issue_items').where('issue_id', '=', issueId).where('id', '=', itemId).execute();
}

/** Delivery counts per status for one issue (recaps only). */
export async function deliveryCounts(db: DB, issueId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('issue_id', '=', issueId)
    .where('kind', '=', 'recap')
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
