// The audit log of editor actions: append-only writes and a paged, filterable read.
import type { Selectable } from 'kysely';
import type { AuditLogTable, DB } from '../schema.js';

export type AuditRow = Selectable<AuditLogTable>;

export interface NewAuditRow {
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
  created_at: string;
}

export async function insertAudit(db: DB, row: NewAuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  targetId?: string;
  /** Keyset cursor: rows with id below this. */
  beforeId?: number;
  limit?: number;
}

export async function listAudit(db: DB, q: AuditQuery = {}): Promise<AuditRow[]> {
  let s = db.selectFrom('audit_log').selectAll();
  if (q.actor) s = s.where('actor', '=', q.actor);
  if (q.action) s = s.where('action', '=', q.action);
  if (q.targetId) s = s.where('target_id', '=', q.targetId);
  if (q.beforeId) s = s.where('id', '<', q.beforeId);
  return s
    .orderBy('id', 'desc')
    .limit(q.limit ?? 50)
    .execute();
}

export async function listAuditActions(db: DB): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}
