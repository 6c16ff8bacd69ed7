// Who did what to which issue, subscriber or editor, and when: every editor action is recorded here.
import { insertAudit, listAudit, type AuditQuery } from '../../db/repos/audit.js';
import type { Deps } from '../deps.js';

/** The signed-in editor's address, or 'api-token' for automation, or 'system'. */
export type Actor = string;

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
}

export async function recordAudit(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, entry: AuditEntry): Promise<void> {
  await insertAudit(deps.db, {
    actor,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId === undefined ? null : String(entry.targetId),
    details: JSON.stringify(entry.details ?? {}),
    created_at: deps.clock.now().toISOString(),
  });
}

export interface AuditView {
  id: number;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

export async function readAudit(deps: Pick<Deps, 'db'>, q: AuditQuery = {}): Promise<AuditView[]> {
  const rows = await listAudit(deps.db, q);
  return rows.map((r) => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    details: safeJson(r.details),
    createdAt: r.created_at,
  }));
}

function safeJson(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
