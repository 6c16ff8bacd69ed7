// Editor accounts, magic-link tokens and sessions. Tokens and session ids arrive here already hashed.
import type { Selectable } from 'kysely';
import type { DB, EditorsTable, SessionsTable } from '../schema.js';

export type EditorRow = Selectable<EditorsTable>;
export type SessionRow = Selectable<SessionsTable>;

export async function getEditorByEmail(db: DB, email: string): Promise<EditorRow | undefined> {
  return db.selectFrom('editors').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function getEditor(db: DB, id: number): Promise<EditorRow | undefined> {
  return db.selectFrom('editors').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEditors(db: DB): Promise<EditorRow[]> {
  return db.selectFrom('editors').selectAll().orderBy('email').execute();
}

/** Inserts the editor or, when it exists, re-enables it and raises it to `role` if given. */
export async function upsertEditor(db: DB, e: { email: string; name?: string | null; role: 'admin' | 'editor' }, nowIso: string): Promise<void> {
  await db
    .insertInto('editors')
    .values({ email: e.email, name: e.name ?? null, role: e.role, created_at: nowIso })
    .onConflict((oc) => oc.column('email').doUpdateSet({ disabled_at: null, ...(e.role === 'admin' && { role: 'admin' as const }) }))
    .execute();
}

export async function setEditorDisabled(db: DB, id: number, disabledAt: string | null): Promise<void> {
  await db.updateTable('editors').set({ disabled_at: disabledAt }).where('id', '=', id).execute();
}

export async function touchEditorLogin(db: DB, id: number, nowIso: string): Promise<void> {
  await db.updateTable('editors').set({ last_login_at: nowIso }).where('id', '=', id).execute();
}

export async function insertLoginToken(db: DB, row: { token_hash: string; editor_id: number; created_at: string; expires_at: string }): Promise<void> {
  await db.insertInto('login_tokens').values(row).execute();
}

export async function countRecentLoginTokens(db: DB, editorId: number, sinceIso: string): Promise<number> {
  const r = await db
    .selectFrom('login_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('editor_id', '=', editorId)
    .where('created_at', '>=', sinceIso)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Marks an unused, unexpired token used in one conditional statement, so two clicks racing on the same
 * link cannot both sign in. Returns the editor id, or undefined when the token is unknown, used or expired.
 */
export async function consumeLoginToken(db: DB, tokenHash: string, nowIso: string): Promise<number | undefined> {
  const r = await db
    .updateTable('login_tokens')
    .set({ used_at: nowIso })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .returning('editor_id')
    .executeTakeFirst();
  return r?.editor_id;
}

export async function deleteExpiredAuthRows(db: DB, nowIso: string): Promise<void> {
  await db.deleteFrom('login_tokens').where('expires_at', '<=', nowIso).execute();
  await db.deleteFrom('sessions').where('expires_at', '<=', nowIso).execute();
}

export async function insertSession(db: DB, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function getSessionWithEditor(db: DB, idHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('editors', 'editors.id', 'sessions.editor_id')
    .select([
      'sessions.id_hash',
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'editors.id as editor_id',
      'editors.email',
      'editors.name',
      'editors.role',
      'editors.disabled_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: DB, idHash: string, nowIso: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: nowIso }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: DB, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfEditor(db: DB, editorId: number): Promise<void> {
  await db.deleteFrom('sessions').where('editor_id', '=', editorId).execute();
}

export async function isLoginTokenUsable(db: DB, tokenHash: string, nowIso: string): Promise<boolean> {
  const r = await db
    .selectFrom('login_tokens')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return !!r;
}

export async function countActiveEditors(db: DB): Promise<number> {
  const r = await db
    .selectFrom('editors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setEditorRole(db: DB, id: number, role: 'admin' | 'editor'): Promise<void> {
  await db.updateTable('editors').set({ role }).where('id', '=', id).execute();
}

/** Whether any editor has ever completed a sign-in (a new install has none). */
export async function hasEditorSignedIn(db: DB): Promise<boolean> {
  const r = await db.selectFrom('editors').select('id').where('last_login_at', 'is not', null).limit(1).executeTakeFirst();
  return r !== undefined;
}
