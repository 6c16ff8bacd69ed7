// Job leases in job_locks: one runner per job across processes, taken over once a holder stops renewing.
import { sql } from 'kysely';
import type { DB } from '../schema.js';

/** Takes or renews the lease in one statement; true when `owner` holds it afterwards. */
export async function acquireLease(db: DB, name: string, owner: string, nowIso: string, untilIso: string): Promise<boolean> {
  await sql`
    INSERT INTO job_locks (name, owner, acquired_at, expires_at) VALUES (${name}, ${owner}, ${nowIso}, ${untilIso})
    ON CONFLICT (name) DO UPDATE SET
      owner = excluded.owner,
      acquired_at = CASE WHEN job_locks.owner = excluded.owner THEN job_locks.acquired_at ELSE excluded.acquired_at END,
      expires_at = excluded.expires_at
    WHERE job_locks.owner = excluded.owner OR job_locks.expires_at < ${nowIso}`.execute(db);
  const row = await db.selectFrom('job_locks').select('owner').where('name', '=', name).executeTakeFirst();
  return row?.owner === owner;
}

export async function releaseLease(db: DB, name: string, owner: string): Promise<void> {
  await db.deleteFrom('job_locks').where('name', '=', name).where('owner', '=', owner).execute();
}

export async function getLease(db: DB, name: string) {
  return db.selectFrom('job_locks').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function recordJobRun(db: DB, name: string, atIso: string, result: string): Promise<void> {
  await db
    .insertInto('job_runs')
    .values({ name, last_run_at: atIso, last_result: result })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: atIso, last_result: result }))
    .execute();
}

export async function getJobRun(db: DB, name: string) {
  return db.selectFrom('job_runs').selectAll().where('name', '=', name).executeTakeFirst();
}
