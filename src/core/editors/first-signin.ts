// A new install lets its operator in: with mail kept locally, an admin account and a one-time sign-in link printed at start.
import { hasEditorSignedIn, upsertEditor } from '../../db/repos/editors.js';
import type { Deps } from '../deps.js';
import { recordAudit } from './audit.js';
import { listEditorAccounts } from './editor-auth.js';
import { issueSignInLink } from './operator-editors.js';

/** The account a local install creates when it has no editor (`.localhost` is reserved for this machine, RFC 6761). */
export const LOCAL_ADMIN_EMAIL = 'admin@recap.localhost';

export type StartAccess =
  /** Nobody has signed in yet: this link (single use, 15 minutes) opens the workspace as `email`. */
  | { kind: 'link'; email: string; url: string; created: boolean }
  /** Mail is kept locally and an editor has signed in before: a new link comes from `recap signin-link` or the sign-in form. */
  | { kind: 'signed-in-before'; email: string }
  /** Mail goes through a provider and there is no active editor: nobody can sign in until one is added. */
  | { kind: 'no-editor' }
  | { kind: 'ok' };

/**
 * Called once the server listens. Without a provider there is no inbox a link could reach, so the console is where the
 * operator gets in; a link is printed on every start until someone has signed in once (a start whose output was lost,
 * or a link left to expire, must not lock the operator out). With a provider nothing is created: editors are real
 * people with real addresses (EDITOR_EMAILS or `recap editors add`).
 */
export async function prepareStartAccess(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<StartAccess> {
  const active = (await listEditorAccounts(deps)).filter((e) => !e.disabledAt);
  if (deps.config.resendApiKey) return active.length ? { kind: 'ok' } : { kind: 'no-editor' };
  let created = false;
  if (active.length === 0) {
    await upsertEditor(deps.db, { email: LOCAL_ADMIN_EMAIL, role: 'admin' }, deps.clock.now().toISOString());
    await recordAudit(deps, 'system', {
      action: 'editor.added',
      targetType: 'editor',
      targetId: LOCAL_ADMIN_EMAIL,
      details: { role: 'admin', via: 'first start' },
    });
    created = true;
  }
  const email = created ? LOCAL_ADMIN_EMAIL : pickAdmin(active, deps.config.editorEmails);
  if (await hasEditorSignedIn(deps.db)) return { kind: 'signed-in-before', email };
  const link = await issueSignInLink(deps, 'system', email, 'first start');
  return { kind: 'link', email, url: link.url, created };
}

/** The configured admin first (EDITOR_EMAILS order), else the local admin, else any admin, else any editor. */
function pickAdmin(active: { email: string; role: 'admin' | 'editor' }[], configured: string[]): string {
  const admins = active.filter((e) => e.role === 'admin');
  return (
    configured.find((c) => admins.some((a) => a.email === c)) ?? admins.find((a) => a.email === LOCAL_ADMIN_EMAIL)?.email ?? admins[0]?.email ?? active[0].email
  );
}
