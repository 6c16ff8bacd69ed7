// CLI commands for editor accounts: add, list and remove them, and hand an editor a sign-in link from the shell.
import { listEditorAccounts } from '../core/editors/editor-auth.js';
import { addEditorAccount, issueSignInLink, removeEditorAccount, type EditorRole } from '../core/editors/operator-editors.js';
import { parse } from './args.js';
import { withRuntime, type Command } from './runtime.js';

/** Whoever runs the CLI has the server's files: the audit log names the shell, as `recap resume` does. */
const ACTOR = 'cli';

const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

function role(v: string | undefined): EditorRole | undefined {
  if (v === undefined) return undefined;
  if (v !== 'admin' && v !== 'editor') throw new Error(`--role must be admin or editor, not "${v}"`);
  return v;
}

export const editorsCommand: Command = {
  name: 'editors',
  usage: 'editors add|list|remove [email] [--role admin|editor]',
  summary: 'manage editor accounts (who may sign in to /editor)',
  help:
    'editors list                         every account: role, active or removed, last sign-in\n' +
    'editors add <email> [--role R]       create (or re-enable) an account; a new one is an editor unless --role admin\n' +
    '                                     (--role on an existing account changes its role)\n' +
    'editors remove <email>               the account can no longer sign in and its sessions end at once; its history\n' +
    '                                     stays in the audit log, and `editors add` brings it back\n' +
    'Editors sign in with a link by mail (or, without RESEND_API_KEY, printed by the server); `signin-link` makes one here.',
  run: async (args) => {
    const { positionals, values } = parse(args, { role: { type: 'string' } });
    const [action, email, ...extra] = positionals;
    if (extra.length) throw new Error(`editors ${action}: one address at a time (got ${positionals.length - 1})`);
    if (action === 'list') {
      return withRuntime(async (rt) => {
        const rows = await listEditorAccounts(rt.deps);
        if (!rows.length) {
          console.log('No editor accounts. Add one: npm run recap -- editors add you@example.com --role admin');
          return;
        }
        const width = Math.max(5, ...rows.map((r) => r.email.length));
        console.log(`${'email'.padEnd(width)}  role    status   last sign-in (UTC)`);
        for (const r of rows)
          console.log(`${r.email.padEnd(width)}  ${r.role.padEnd(6)}  ${(r.disabledAt ? 'removed' : 'active').padEnd(7)}  ${day(r.lastLoginAt)}`);
      });
    }
    if (action === 'add') {
      if (!email) throw new Error('editors add needs an address: npm run recap -- editors add you@example.com --role admin');
      const wanted = role(values.role);
      return withRuntime(async (rt) => {
        const r = await addEditorAccount(rt.deps, ACTOR, email, wanted);
        const what = r.created ? 'Added' : r.reenabled ? 'Re-enabled' : 'Updated';
        console.log(`${what} ${r.email} (${r.role}). A sign-in link: npm run recap -- signin-link ${r.email}`);
      });
    }
    if (action === 'remove') {
      if (!email) throw new Error('editors remove needs an address: npm run recap -- editors remove someone@example.com');
      if (values.role !== undefined) throw new Error('editors remove takes no --role');
      return withRuntime(async (rt) => {
        const r = await removeEditorAccount(rt.deps, ACTOR, email);
        console.log(r.wasActive ? `Removed ${r.email}: it can no longer sign in and its sessions have ended.` : `${r.email} was already removed.`);
        if (r.activeAdminsLeft === 0) console.log('No active admin is left: add one with `npm run recap -- editors add <email> --role admin`.');
      });
    }
    throw new Error(`editors needs add, list or remove${action ? ` (not "${action}")` : ''}. Use --help for the options.`);
  },
};

export const signinLinkCommand: Command = {
  name: 'signin-link',
  usage: 'signin-link <email>',
  summary: 'print a one-time sign-in link for an editor (works once, for 15 minutes)',
  help:
    'For an operator at the server: prints a link that signs the editor in to the workspace, for when no mail\n' +
    'reaches them (no RESEND_API_KEY, a first start whose link expired). The link starts with PUBLIC_URL: run this\n' +
    'with the same environment as the server. Each link issued is recorded in the audit log.',
  run: async (args) => {
    const { positionals } = parse(args, {});
    const email = positionals[0];
    if (!email || positionals.length > 1) throw new Error('signin-link needs one editor address: npm run recap -- signin-link you@example.com');
    return withRuntime(async (rt) => {
      const link = await issueSignInLink(rt.deps, ACTOR, email);
      console.log(`Sign-in link for ${link.email} (works once, until ${link.expiresAt.slice(11, 16)} UTC):`);
      console.log(link.url);
    });
  },
};
