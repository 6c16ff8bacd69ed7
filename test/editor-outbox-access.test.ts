// Who may read the dev outbox (it holds every editor's sign-in links), and the banner that says mail is not being sent.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestSignIn } from '../src/core/editors/editor-auth.js';
import { listOutbox } from '../src/db/repos/dev-mailbox.js';
import { upsertEditor } from '../src/db/repos/editors.js';
import { EDITOR, startEditorSite, type EditorSite } from './helpers/editor-site.js';

const WRITER = 'writer@example.com';
const BANNER = 'Mail is not being sent: no RESEND_API_KEY; every mail is kept in the dev outbox';

describe('dev outbox access', () => {
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
    const before = new Set((await listOutbox(site.deps.db, { to: EDITOR })).map((m) => m.id));
    await requestSignIn(site.deps, EDITOR);
    const mail = await site.waitForMail(EDITOR, (m) => !before.has(m.id) && /sign/i.test(m.subject));
    const token = new URL(/https?:\/\/\S+\/editor\/signin\/verify\?token=[\w-]+/.exec(mail.text)![0]).searchParams.get('token')!;
    return { mail, token };
  }

  it("refuses an editor-role session the dev outbox (403) and never shows it an admin's sign-in mail", async () => {
    const writer = await site.signIn(WRITER);
    const { mail, token } = await adminSigninMail();
    const get = (path: string) => fetch(site.url + path, { headers: { cookie: writer.cookie }, redirect: 'manual' });
    for (const path of [
      '/editor/outbox',
      `/editor/outbox?to=${encodeURIComponent(EDITOR)}`,
      `/editor/outbox/${mail.id}`,
      `/editor/outbox/${mail.id}?part=text`,
      `/editor/outbox/${mail.id}/html`,
    ]) {
      const res = await get(path);
      const body = await res.text();
      expect(res.status, path).toBe(403);
      expect(body, path).not.toContain(token);
      expect(body, path).not.toContain(mail.id);
    }
    const dashboard = await (await get('/editor')).text();
    expect(dashboard).toContain('Dashboard');
    expect(dashboard).not.toContain('href="/editor/outbox"');
  });

  it("lets an admin list and open the dev outbox, sign-in mails included", async () => {
    const admin = await site.signIn(EDITOR);
    const { mail, token } = await adminSigninMail();
    const get = (path: string) => fetch(site.url + path, { headers: { cookie: admin.cookie }, redirect: 'manual' });
    const list = await get('/editor/outbox');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`/editor/outbox/${mail.id}`);
    const text = await get(`/editor/outbox/${mail.id}?part=text`);
    expect(text.status).toBe(200);
    expect(await text.text()).toContain(token);
    expect((await get(`/editor/outbox/${mail.id}/html`)).status).toBe(200);
    expect(await (await get('/editor')).text()).toContain('href="/editor/outbox"');
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
