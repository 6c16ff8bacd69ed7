// Editor sign-in by magic link and the sessions it opens. Links and session ids are random, stored only as
// SHA-256 hashes, single-use/expiring; a request for a non-editor address looks exactly like one for an editor.
import {
  consumeLoginToken,
  countRecentLoginTokens,
  deleteExpiredAuthRows,
  deleteSession,
  deleteSessionsOfEditor,
  getEditor,
  getEditorByEmail,
  getSessionWithEditor,
  insertLoginToken,
  insertSession,
  isLoginTokenUsable,
  listEditors,
  setEditorDisabled,
  touchEditorLogin,
  touchSession,
  upsertEditor,
  type EditorRow,
} from '../../db/repos/editors.js';
import { renderSigninEmail } from '../../mail/transactional.js';
import { normalizeEmail } from '../../shared/email-normal-form.js';
import { recordAudit } from './audit.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { enqueueMail } from '../send/enqueue-mail.js';
import { randomToken, sha256Hex } from '../tokens.js';

export const SIGNIN_LINK_TTL_MS = 15 * 60_000;
/** Links per editor per TTL window; more requests are dropped silently (the answer stays the same). */
export const SIGNIN_LINKS_PER_WINDOW = 5;
export const SESSION_TTL_MS = 7 * 24 * 3_600_000;
/** A session unused this long ends even before its absolute expiry. */
export const SESSION_IDLE_MS = 24 * 3_600_000;
const TOUCH_EVERY_MS = 5 * 60_000;

export interface Editor {
  id: number;
  email: string;
  name: string | null;
  role: 'admin' | 'editor';
}

export interface EditorSession {
  editor: Editor;
  csrfToken: string;
  expiresAt: string;
}

/** Creates (or re-enables) every EDITOR_EMAILS account as an admin; called once at start. */
export async function ensureEditors(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<number> {
  const now = deps.clock.now().toISOString();
  for (const email of deps.config.editorEmails) await upsertEditor(deps.db, { email: normalizeEmail(email), role: 'admin' }, now);
  return deps.config.editorEmails.length;
}

/** `next` (a workspace path the editor wanted) rides along so the link lands there after sign-in. */
export function signinUrl(publicUrl: string, token: string, next?: string): string {
  const base = `${publicUrl.replace(/\/+$/, '')}/editor/signin/verify?token=${encodeURIComponent(token)}`;
  return next && next !== '/editor' ? `${base}&next=${encodeURIComponent(next)}` : base;
}

/**
 * Sends a sign-in link when `email` belongs to an active editor; otherwise does nothing. Either way it
 * resolves to nothing, so callers cannot tell the cases apart.
 */
export async function requestSignIn(deps: Deps, rawEmail: string, opts: { next?: string } = {}): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const now = deps.clock.now();
  const editor = await getEditorByEmail(deps.db, email);
  if (!editor || editor.disabled_at) {
    // Do the same expensive work (hash, render) so the answer takes about as long as for an editor.
    await sha256Hex(randomToken(32));
    await renderSigninEmail({ signinUrl: signinUrl(deps.config.publicUrl, randomToken(32)), config: deps.config });
    deps.log.debug('sign-in requested for an address that is not an active editor');
    return;
  }
  const since = new Date(now.getTime() - SIGNIN_LINK_TTL_MS).toISOString();
  if ((await countRecentLoginTokens(deps.db, editor.id, since)) >= SIGNIN_LINKS_PER_WINDOW) {
    deps.log.warn('sign-in link not sent: too many recent requests for this editor', { editorId: editor.id });
    return;
  }
  const url = await createSignInLink(deps, editor.id, opts.next);
  const mail = await renderSigninEmail({ signinUrl: url, config: deps.config });
  await enqueueMail(deps, { kind: 'signin', to: editor.email, toName: editor.name, ...mail });
  // Without a provider the console is where a first-time editor finds the link.
  if (!deps.config.resendApiKey) deps.log.info(`Sign-in link for ${editor.email} (valid 15 minutes): ${url}`);
  await recordAudit(deps, editor.email, { action: 'editor.signin_requested', targetType: 'editor', targetId: editor.id });
}

/**
 * A fresh single-use link for an editor, valid SIGNIN_LINK_TTL_MS. Only its hash is stored; the caller decides who sees
 * the link (a mail, the operator's console at first start, `recap signin-link`).
 */
export async function createSignInLink(deps: Pick<Deps, 'db' | 'clock' | 'config'>, editorId: number, next?: string): Promise<string> {
  const now = deps.clock.now();
  const token = randomToken(32);
  await insertLoginToken(deps.db, {
    token_hash: await sha256Hex(token),
    editor_id: editorId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SIGNIN_LINK_TTL_MS).toISOString(),
  });
  return signinUrl(deps.config.publicUrl, token, next);
}

export type SignInResult = { ok: true; sessionId: string; session: EditorSession } | { ok: false; reason: 'invalid_or_expired' };

/** Whether a link can still be used, without spending it (the link page shows a button; link scanners only GET). */
export async function isSignInLinkUsable(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<boolean> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 200) return false;
  return isLoginTokenUsable(deps.db, await sha256Hex(token), deps.clock.now().toISOString());
}

/** Spends a link and opens a fresh session; the browser's previous session (if any) is ended, never reused. */
export async function completeSignIn(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  token: string,
  opts: { previousSessionId?: string | null; userAgent?: string | null } = {},
): Promise<SignInResult> {
  const now = deps.clock.now();
  if (typeof token !== 'string' || token.length < 20 || token.length > 200) return { ok: false, reason: 'invalid_or_expired' };
  const editorId = await consumeLoginToken(deps.db, await sha256Hex(token), now.toISOString());
  const editor = editorId === undefined ? undefined : await getEditor(deps.db, editorId);
  if (!editor || editor.disabled_at) return { ok: false, reason: 'invalid_or_expired' };
  if (opts.previousSessionId) await deleteSession(deps.db, await sha256Hex(opts.previousSessionId));
  const sessionId = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await insertSession(deps.db, {
    id_hash: await sha256Hex(sessionId),
    editor_id: editor.id,
    csrf_token: csrfToken,
    user_agent: opts.userAgent?.slice(0, 300) ?? null,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    last_seen_at: now.toISOString(),
  });
  await touchEditorLogin(deps.db, editor.id, now.toISOString());
  await deleteExpiredAuthRows(deps.db, now.toISOString());
  await recordAudit(deps, editor.email, { action: 'editor.signin', targetType: 'editor', targetId: editor.id });
  return { ok: true, sessionId, session: { editor: toEditor(editor), csrfToken, expiresAt } };
}

/** The session behind a cookie value, or null when unknown, expired, idle too long or its editor was disabled. */
export async function resolveSession(deps: Pick<Deps, 'db' | 'clock'>, sessionId: string | undefined): Promise<EditorSession | null> {
  if (!sessionId || sessionId.length > 200) return null;
  const idHash = await sha256Hex(sessionId);
  const row = await getSessionWithEditor(deps.db, idHash);
  if (!row) return null;
  const now = deps.clock.now().getTime();
  const idle = now - new Date(row.last_seen_at).getTime() > SESSION_IDLE_MS;
  if (row.disabled_at || new Date(row.expires_at).getTime() <= now || idle) {
    await deleteSession(deps.db, idHash);
    return null;
  }
  if (now - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) await touchSession(deps.db, idHash, new Date(now).toISOString());
  return {
    editor: { id: row.editor_id, email: row.email, name: row.name, role: row.role },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export async function signOut(deps: Pick<Deps, 'db' | 'clock'>, sessionId: string | undefined, actor?: string): Promise<void> {
  if (!sessionId) return;
  await deleteSession(deps.db, await sha256Hex(sessionId));
  if (actor) await recordAudit(deps, actor, { action: 'editor.signout' });
}

export async function listEditorAccounts(deps: Pick<Deps, 'db'>) {
  return (await listEditors(deps.db)).map((r) => ({ ...toEditor(r), createdAt: r.created_at, lastLoginAt: r.last_login_at, disabledAt: r.disabled_at }));
}

/** Admins add editors; the new editor signs in with a magic link like everyone else. */
export async function addEditor(deps: Pick<Deps, 'db' | 'clock'>, actor: Editor, input: { email: string; role: 'admin' | 'editor' }) {
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only admins can add editors');
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AppError('validation_failed', `"${input.email}" is not an email address`);
  await upsertEditor(deps.db, { email, role: input.role }, deps.clock.now().toISOString());
  await recordAudit(deps, actor.email, { action: 'editor.added', targetType: 'editor', targetId: email, details: { role: input.role } });
}

/** Disabling ends the editor's sessions at once. Admins cannot lock themselves out. */
export async function setEditorActive(deps: Pick<Deps, 'db' | 'clock'>, actor: Editor, editorId: number, active: boolean) {
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only admins can change editors');
  if (editorId === actor.id && !active) throw new AppError('conflict', 'you cannot disable your own account');
  const target = await getEditor(deps.db, editorId);
  if (!target) throw new AppError('not_found', `editor ${editorId} not found`);
  await setEditorDisabled(deps.db, editorId, active ? null : deps.clock.now().toISOString());
  if (!active) await deleteSessionsOfEditor(deps.db, editorId);
  await recordAudit(deps, actor.email, { action: active ? 'editor.enabled' : 'editor.disabled', targetType: 'editor', targetId: target.email });
}

function toEditor(r: EditorRow): Editor {
  return { id: r.id, email: r.email, name: r.name, role: r.role };
}
