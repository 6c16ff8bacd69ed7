import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  completeSignIn,
  ensureEditors,
  requestSignIn,
  resolveSession,
  setEditorActive,
  signOut,
  SIGNIN_LINKS_PER_WINDOW,
} from '../src/core/editors/editor-auth.js';
import { sha256Hex } from '../src/core/tokens.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';

let deps: TestDeps;
beforeEach(async () => {
  deps = makeDeps({ config: { editorEmails: ['ed@example.com', 'Boss@Example.com'] } });
  await ensureEditors(deps);
});
afterEach(() => deps.cleanup());

async function signinMails() {
  const rows = await deps.db.selectFrom('deliveries').selectAll().where('kind', '=', 'signin').orderBy('id').execute();
  return rows.map((r) => ({ to: r.to_email, ...(JSON.parse(r.payload!) as { subject: string; text: string; html: string }) }));
}

async function linkToken(): Promise<string> {
  const mails = await signinMails();
  const m = /\/editor\/signin\/verify\?token=([\w-]+)/.exec(mails[mails.length - 1].text);
  if (!m) throw new Error('no sign-in link in the mail');
  return m[1];
}

describe('editor accounts', () => {
  it('creates every EDITOR_EMAILS address as an admin, lower-cased, and is idempotent', async () => {
    await ensureEditors(deps);
    const rows = await deps.db.selectFrom('editors').select(['email', 'role']).orderBy('email').execute();
    expect(rows).toEqual([
      { email: 'boss@example.com', role: 'admin' },
      { email: 'ed@example.com', role: 'admin' },
    ]);
  });
});

describe('magic-link sign-in', () => {
  it('queues a link for an editor through the outbox, stores only its hash and prints it when there is no provider', async () => {
    await requestSignIn(deps, '  ED@example.com ');
    const mails = await signinMails();
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toBe('ed@example.com');
    const token = await linkToken();
    const stored = await deps.db.selectFrom('login_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(deps.log.lines.some((l) => l.level === 'info' && l.msg.includes(token))).toBe(true);
  });

  it('does not print the link when a provider is configured', async () => {
    deps.config.resendApiKey = 're_live_key';
    await requestSignIn(deps, 'ed@example.com');
    const token = await linkToken();
    expect(deps.log.lines.some((l) => l.msg.includes(token))).toBe(false);
  });

  it('answers a non-editor exactly like an editor, and sends nothing', async () => {
    const a = await requestSignIn(deps, 'stranger@example.com');
    const b = await requestSignIn(deps, 'ed@example.com');
    expect(a).toEqual(b);
    expect((await signinMails()).map((m) => m.to)).toEqual(['ed@example.com']);
    expect(await deps.db.selectFrom('login_tokens').selectAll().execute()).toHaveLength(1);
  });

  it('opens a session once; the same link cannot be used twice', async () => {
    await requestSignIn(deps, 'ed@example.com');
    const token = await linkToken();
    const first = await completeSignIn(deps, token);
    expect(first.ok).toBe(true);
    const second = await completeSignIn(deps, token);
    expect(second).toEqual({ ok: false, reason: 'invalid_or_expired' });
  });

  it('expires a link after 15 minutes', async () => {
    await requestSignIn(deps, 'ed@example.com');
    const late = await linkToken();
    await requestSignIn(deps, 'ed@example.com');
    const onTime = await linkToken();
    deps.clock.advance(15 * 60_000 - 1000);
    expect((await completeSignIn(deps, onTime)).ok).toBe(true);
    deps.clock.advance(2000);
    expect((await completeSignIn(deps, late)).ok).toBe(false);
  });

  it('refuses forged and malformed tokens', async () => {
    expect((await completeSignIn(deps, 'x'.repeat(43))).ok).toBe(false);
    expect((await completeSignIn(deps, '')).ok).toBe(false);
  });

  it(`sends at most ${SIGNIN_LINKS_PER_WINDOW} links per editor per 15 minutes`, async () => {
    for (let i = 0; i < SIGNIN_LINKS_PER_WINDOW + 3; i++) await requestSignIn(deps, 'ed@example.com');
    expect(await signinMails()).toHaveLength(SIGNIN_LINKS_PER_WINDOW);
    deps.clock.advance(15 * 60_000 + 1000);
    await requestSignIn(deps, 'ed@example.com');
    expect(await signinMails()).toHaveLength(SIGNIN_LINKS_PER_WINDOW + 1);
  });
});

describe('sessions', () => {
  async function signIn(previousSessionId?: string) {
    await requestSignIn(deps, 'ed@example.com');
    const r = await completeSignIn(deps, await linkToken(), { previousSessionId });
    if (!r.ok) throw new Error('sign-in failed');
    return r;
  }

  it('stores the session id hashed and resolves it to the editor with a CSRF token', async () => {
    const r = await signIn();
    const rows = await deps.db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].id_hash).toBe(await sha256Hex(r.sessionId));
    expect(JSON.stringify(rows)).not.toContain(r.sessionId);
    const s = await resolveSession(deps, r.sessionId);
    expect(s?.editor.email).toBe('ed@example.com');
    expect(s?.csrfToken).toBe(r.session.csrfToken);
    expect(await resolveSession(deps, 'not-a-session')).toBeNull();
  });

  it('rotates at sign-in: the previous session of the browser ends', async () => {
    const old = await signIn();
    const fresh = await signIn(old.sessionId);
    expect(fresh.sessionId).not.toBe(old.sessionId);
    expect(await resolveSession(deps, old.sessionId)).toBeNull();
    expect(await resolveSession(deps, fresh.sessionId)).not.toBeNull();
  });

  it('ends on sign-out, after a day idle, and after seven days in any case', async () => {
    const a = await signIn();
    await signOut(deps, a.sessionId, 'ed@example.com');
    expect(await resolveSession(deps, a.sessionId)).toBeNull();

    const b = await signIn();
    deps.clock.advance(25 * 3_600_000);
    expect(await resolveSession(deps, b.sessionId)).toBeNull();

    const c = await signIn();
    for (let day = 0; day < 7; day++) {
      deps.clock.advance(23 * 3_600_000);
      expect(await resolveSession(deps, c.sessionId)).not.toBeNull();
    }
    deps.clock.advance(8 * 3_600_000); // 169 h after sign-in
    expect(await resolveSession(deps, c.sessionId)).toBeNull();
  });

  it('ends every session of an editor who is disabled, and refuses their links', async () => {
    const admin = (await resolveSession(deps, (await signIn()).sessionId))!.editor;
    const boss = await deps.db.selectFrom('editors').selectAll().where('email', '=', 'boss@example.com').executeTakeFirstOrThrow();
    await requestSignIn(deps, 'boss@example.com');
    const link = await linkToken();
    await setEditorActive(deps, admin, boss.id, false);
    expect((await completeSignIn(deps, link)).ok).toBe(false);
    await requestSignIn(deps, 'boss@example.com');
    expect((await signinMails()).filter((m) => m.to === 'boss@example.com')).toHaveLength(1);
    await expect(setEditorActive(deps, admin, admin.id, false)).rejects.toThrow(/own account/);
  });
});
