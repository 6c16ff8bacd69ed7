// Editor accounts managed from the operator's shell (`recap editors …`, `recap signin-link`): trusted, audited as 'cli'.
import { z } from 'zod';
import { deleteSessionsOfEditor, getEditorByEmail, setEditorDisabled, setEditorRole, upsertEditor } from '../../db/repos/editors.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { recordAudit, type Actor } from './audit.js';
import { normalizeEmail } from '../../shared/email-normal-form.js';
import { createSignInLink, listEditorAccounts, SIGNIN_LINK_TTL_MS } from './editor-auth.js';

export type EditorRole = 'admin' | 'editor';

function checkedEmail(raw: string): string {
  const email = normalizeEmail(raw);
  if (!z.email().max(254).safeParse(email).success) throw new AppError('validation_failed', `"${raw}" is not an email address`);
  return email;
}

/**
 * Creates the account, or re-enables it; `role` is applied as given (the shell may also lower an admin to editor,
 * which the workspace does not offer). Without a role a new account is an editor and an existing one keeps its own.
 */
export async function addEditorAccount(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, rawEmail: string, role?: EditorRole) {
  const email = checkedEmail(rawEmail);
  const before = await getEditorByEmail(deps.db, email);
  await upsertEditor(deps.db, { email, role: role ?? 'editor' }, deps.clock.now().toISOString());
  const row = (await getEditorByEmail(deps.db, email))!;
  if (role && row.role !== role) await setEditorRole(deps.db, row.id, role);
  const finalRole = role ?? row.role;
  await recordAudit(deps, actor, { action: 'editor.added', targetType: 'editor', targetId: email, details: { role: finalRole, via: 'cli' } });
  return { email, role: finalRole, created: !before, reenabled: Boolean(before?.disabled_at) };
}

/**
 * Disables the account and ends its sessions at once; the row stays, so the audit log and the issues it edited keep
 * their author, and `addEditorAccount` brings it back.
 */
export async function removeEditorAccount(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, rawEmail: string) {
  const email = normalizeEmail(rawEmail);
  const row = await getEditorByEmail(deps.db, email);
  if (!row) throw new AppError('not_found', `no editor ${email}`);
  if (!row.disabled_at) {
    await setEditorDisabled(deps.db, row.id, deps.clock.now().toISOString());
    await deleteSessionsOfEditor(deps.db, row.id);
    await recordAudit(deps, actor, { action: 'editor.disabled', targetType: 'editor', targetId: email, details: { via: 'cli' } });
  }
  const others = (await listEditorAccounts(deps)).filter((e) => !e.disabledAt && e.role === 'admin');
  return { email, wasActive: !row.disabled_at, activeAdminsLeft: others.length };
}

export interface IssuedLink {
  email: string;
  url: string;
  expiresAt: string;
}

/** A single-use sign-in link for an active editor, handed to whoever runs the command; the issue is audited. */
export async function issueSignInLink(deps: Pick<Deps, 'db' | 'clock' | 'config'>, actor: Actor, rawEmail: string, reason = 'cli'): Promise<IssuedLink> {
  const email = normalizeEmail(rawEmail);
  const row = await getEditorByEmail(deps.db, email);
  if (!row || row.disabled_at) throw new AppError('not_found', `no active editor ${email} (add one: npm run recap -- editors add ${email} --role admin)`);
  const url = await createSignInLink(deps, row.id);
  await recordAudit(deps, actor, { action: 'editor.signin_link_issued', targetType: 'editor', targetId: email, details: { via: reason } });
  return { email, url, expiresAt: new Date(deps.clock.now().getTime() + SIGNIN_LINK_TTL_MS).toISOString() };
}
