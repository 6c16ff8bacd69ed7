// What backups and restores read and write: the snapshot mark inside a copy, its counts, and the state of sends at risk.
import { sql } from 'kysely';
import type { DB } from '../schema.js';

/** job_runs row written into a backup copy only (never the live file), so a copy says when it was taken. */
const MARK = 'backup:snapshot';

export interface BackupCounts {
  subscribers: number;
  /** Recap and transactional rows together, per status. */
  deliveries: Record<string, number>;
}

export async function writeBackupMark(db: DB, takenAtIso: string, details: Record<string, unknown>): Promise<void> {
  const result = JSON.stringify(details);
  await db
    .insertInto('job_runs')
    .values({ name: MARK, last_run_at: takenAtIso, last_result: result })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: takenAtIso, last_result: result }))
    .execute();
}

export async function readBackupMark(db: DB): Promise<{ takenAt: string; details: Record<string, unknown> } | undefined> {
  const row = await db.selectFrom('job_runs').select(['last_run_at', 'last_result']).where('name', '=', MARK).executeTakeFirst();
  return row ? { takenAt: row.last_run_at, details: row.last_result ? (JSON.parse(row.last_result) as Record<string, unknown>) : {} } : undefined;
}

/** A restored database is live again: the mark would only mislead the next backup's reader. */
export async function deleteBackupMark(db: DB): Promise<void> {
  await db.deleteFrom('job_runs').where('name', '=', MARK).execute();
}

export async function backupCounts(db: DB): Promise<BackupCounts> {
  const subs = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  return { subscribers: Number(subs.n), deliveries: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) };
}

/** Names in wrangler's ledger, or null when the file has no ledger (not one of our databases). */
export async function migrationLedger(db: DB): Promise<string[] | null> {
  const t = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'`.execute(db);
  if (!Number(t.rows[0]?.n)) return null;
  const r = await sql<{ name: string }>`SELECT name FROM d1_migrations ORDER BY id`.execute(db);
  return r.rows.map((x) => x.name);
}

export interface IssueAtRisk {
  id: string;
  status: 'sending' | 'scheduled';
  scheduledAt: string | null;
  audienceTotal: number | null;
  /** Recap rows not recorded as handed over (queued or claimed): each may have gone out after the backup. */
  unrecorded: number;
  /** Batches attempted but without a recorded answer, and the mails in them. */
  inFlightBatches: number;
  inFlightMails: number;
}

/** Sending issues, and scheduled ones already due (they may have started after the backup was taken). */
export async function listIssuesAtRisk(db: DB, nowIso: string): Promise<IssueAtRisk[]> {
  const r = await sql<{
    id: string;
    status: 'sending' | 'scheduled';
    scheduled_at: string | null;
    audience_total: number | null;
    unrecorded: number;
    batches: number;
    mails: number;
  }>`
    SELECT i.id, i.status, i.scheduled_at, i.audience_total,
      (SELECT count(*) FROM deliveries d WHERE d.issue_id = i.id AND d.kind = 'recap' AND d.status IN ('queued','claimed')) AS unrecorded,
      (SELECT count(*) FROM delivery_batches b WHERE b.issue_id = i.id AND b.status = 'pending' AND b.attempts > 0) AS batches,
      (SELECT coalesce(sum(b.size), 0) FROM delivery_batches b WHERE b.issue_id = i.id AND b.status = 'pending' AND b.attempts > 0) AS mails
    FROM issues i
    WHERE i.status = 'sending' OR (i.status = 'scheduled' AND i.scheduled_at <= ${nowIso})
    ORDER BY i.week`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    status: x.status,
    scheduledAt: x.scheduled_at,
    audienceTotal: x.audience_total,
    unrecorded: Number(x.unrecorded),
    inFlightBatches: Number(x.batches),
    inFlightMails: Number(x.mails),
  }));
}

/** Transactional mail attempted but not recorded (confirmations, sign-in links): reported, not held. */
export async function countInFlightTransactional(db: DB): Promise<number> {
  const r = await db
    .selectFrom('delivery_batches')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), sql.lit(0)).as('n'))
    .where('issue_id', 'is', null)
    .where('status', '=', 'pending')
    .where('attempts', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
