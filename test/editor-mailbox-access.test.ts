// Who may read the dev mailbox (it holds every editor's sign-in links), its old /editor/mailbox address, and the banner
// that says mail is not being sent.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestSignIn } from '../src/core/editors/editor-auth.js';
import { listMailbox } from '../src/db/repos/dev-mailbox.js';
import { upsertEditor } from '../src/db/repos/editors.js';
import { EDITOR, startEditorSite, type EditorSite } from './helpers/editor-site.js';

const WRITER = 'writer@example.com';
const BANNER = 'Mail is not being sent: no RESEND_API_KEY; every mail is kept in the dev mailbox';

describe('dev mailbox access', () => {
  let site: EditorSite;
  beforeAll(async () => {
    site = await startEditorSite();
    await upsertEditor(site.deps.db, { email: WRITER, role: 'editor' }, site.deps.clock.now().toISOString());
  });
  afterAll(() => site.close());
  // Each test starts after the sign-in rate-limit window of the previous one.
  beforeEach(() => site.deps.clock.advance(16 * 60_000));

  /** A fresh, unused sign-in link for the admin, as anyone can request through the public sign-in form. */
  async function adminSigninMail() {
    const before = new Set((await listMailbox(site.deps.db, { to: EDITOR })).map((m) => m.id));
    await requestSignIn(site.deps, EDITOR);
    const mail = await site.waitForMail(EDITOR, (m) => !before.has(m.id) && /sign/i.test(m.subject));
    const token = new URL(/https?:\/\/\S+\/editor\/signin\/verify\?token=[\w-]+/.exec(mail.text)![0]).searchParams.get('token')!;
    return { mail, token };
  }

  it("refuses an editor-role session the dev mailbox (403) and never shows it an admin's sign-in mail", async () => {
    const writer = await site.signIn(WRITER);
    const { mail, token } = await adminSigninMail();
    const get = (path: string) => fetch(site.url + path, { headers: { cookie: writer.cookie }, redirect: 'manual' });
    for (const path of [
      '/editor/mailbox',
      `/editor/mailbox?to=${encodeURIComponent(EDITOR)}`,
      `/editor/mailbox/${mail.id}`,
      `/editor/mailbox/${mail.id}?part=text`,
      `/editor/mailbox/${mail.id}/html`,
    ]) {
      const res = await get(path);
      const body = await res.text();
      expect(res.status, path).toBe(403);
      expect(body, path).not.toContain(token);
      expect(body, path).not.toContain(mail.id);
    }
    const dashboard = await (await get('/editor')).text();
    expect(dashboard).toContain('Dashboard');
    expect(dashboard).not.toContain('href="/editor/mailbox"');
  });

  it('lets an admin list and open the dev mailbox, sign-in mails included', async () => {
    const admin = await site.signIn(EDITOR);
    const { mail, token } = await adminSigninMail();
    const get = (path: string) => fetch(site.url + path, { headers: { cookie: admin.cookie }, redirect: 'manual' });
    const list = await get('/editor/mailbox');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`/editor/mailbox/${mail.id}`);
    const text = await get(`/editor/mailbox/${mail.id}?part=text`);
    expect(text.status).toBe(200);
    expect(await text.text()).toContain(token);
    expect((await get(`/editor/mailbox/${mail.id}/html`)).status).toBe(200);
    expect(await (await get('/editor')).text()).toContain('href="/editor/mailbox"');
  });

  it('answers the old /editor/outbox addresses with a redirect to the same page under /editor/mailbox', async () => {
    const admin = await site.signIn(EDITOR);
    const { mail, token } = await adminSigninMail();
    const get = (path: string) => fetch(site.url + path, { headers: { cookie: admin.cookie }, redirect: 'manual' });
    const q = `?to=${encodeURIComponent(EDITOR)}&offset=0`;
    for (const [old, now] of [
      ['/editor/outbox', '/editor/mailbox'],
      [`/editor/outbox${q}`, `/editor/mailbox${q}`],
      [`/editor/outbox/${mail.id}`, `/editor/mailbox/${mail.id}`],
      [`/editor/outbox/${mail.id}?part=text`, `/editor/mailbox/${mail.id}?part=text`],
      [`/editor/outbox/${mail.id}/html`, `/editor/mailbox/${mail.id}/html`],
    ]) {
      const res = await get(old);
      expect([302, 308], old).toContain(res.status);
      expect(new URL(res.headers.get('location')!, site.url).href, old).toBe(site.url + now);
    }
    // Followed, an old bookmark opens the message itself.
    const followed = await fetch(`${site.url}/editor/outbox/${mail.id}?part=text`, { headers: { cookie: admin.cookie } });
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${site.url}/editor/mailbox/${mail.id}?part=text`);
    expect(await followed.text()).toContain(token);
  });

  it('still refuses an editor-role session the mailbox when it comes through an old address', async () => {
    const writer = await site.signIn(WRITER);
    const { mail, token } = await adminSigninMail();
    const res = await fetch(`${site.url}/editor/outbox/${mail.id}?part=text`, { headers: { cookie: writer.cookie } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain(token);
  });
});

describe('the "mail is not being sent" banner', () => {
  let site: EditorSite | undefined;
  afterEach(async () => {
    await site?.close();
    site = undefined;
  });

  async function pagesSeenBy(config: { env: 'production' | 'development'; resendApiKey?: string }) {
    site = await startEditorSite({ config });
    const { cookie } = await site.signIn(EDITOR);
    const get = async (path: string) => (await fetch(site!.url + path, { headers: { cookie } })).text();
    return { dashboard: await get('/editor'), issues: await get('/editor/issues') };
  }

  it('shows on the dashboard and every workspace page in production without RESEND_API_KEY', async () => {
    const pages = await pagesSeenBy({ env: 'production' });
    expect(pages.dashboard).toContain(BANNER);
    expect(pages.issues).toContain(BANNER);
  });

  it('does not show when RESEND_API_KEY is set', async () => {
    const pages = await pagesSeenBy({ env: 'production', resendApiKey: 're_test_key_not_used' });
    expect(pages.dashboard).toContain('Dashboard');
    expect(pages.dashboard).not.toContain(BANNER);
  });
});
