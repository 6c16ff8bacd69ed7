// Cross-site requests: an editor form or cookie-authenticated API write that the browser says came from another
// site is refused even with a valid session and CSRF token; HSTS is sent on every response of an https deployment.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { seedDemoEvents } from '../src/demo/seed-demo.js';
import { startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { startPublicSite, subscribeAndConfirm, type PublicSite } from './helpers/public-site.js';

const EVIL = 'https://evil.example';

describe('editor writes from another site', () => {
  let site: EditorSite;
  let issueId: string;
  let session: { cookie: string; csrf: string };
  beforeAll(async () => {
    // PUBLIC_URL differs from the address the test talks to, as behind a proxy: both count as our origin.
    site = await startEditorSite({ config: { publicUrl: 'http://recap.localhost:8080', editorApiToken: 'cross-site-test-api-token' } });
    await seedDemoEvents(site.deps);
    issueId = (await buildDraft(site.deps)).issue.id;
    session = await site.signIn();
  });
  afterAll(() => site.close());

  const saveSubject = (subject: string, headers: Record<string, string>) =>
    fetch(`${site.url}/editor/issues/${issueId}/text`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ csrf: session.csrf, subject, preheader: '', intro: '' }),
    });
  const subject = async () => (await site.deps.db.selectFrom('issues').select('subject').where('id', '=', issueId).executeTakeFirstOrThrow()).subject;

  it('refuses a form post with a cross-site Origin, valid session and CSRF token notwithstanding, and says why', async () => {
    const before = await subject();
    const res = await saveSubject('Written by evil.example', { origin: EVIL, 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/another site/i);
    expect(await subject()).toBe(before);
  });

  it('refuses Sec-Fetch-Site: cross-site without an Origin, and a same-site sibling too', async () => {
    for (const fetchSite of ['cross-site', 'same-site']) {
      const res = await saveSubject('Written elsewhere', { 'sec-fetch-site': fetchSite });
      expect(res.status).toBe(403);
      await res.arrayBuffer();
    }
    expect(await subject()).not.toBe('Written elsewhere');
  });

  it('accepts the same post from our own origin (PUBLIC_URL or the address the request came to), and from curl (no Origin)', async () => {
    const cases: Record<string, string>[] = [
      { origin: site.url, 'sec-fetch-site': 'same-origin' },
      { origin: 'http://recap.localhost:8080' },
      { 'sec-fetch-site': 'same-origin' },
      {},
    ];
    for (const [i, headers] of cases.entries()) {
      const res = await saveSubject(`Same origin ${i}`, headers);
      expect(res.status).toBe(303);
      expect(await subject()).toBe(`Same origin ${i}`);
    }
  });

  it('refuses the sign-in form from another site', async () => {
    const page = await fetch(`${site.url}/editor/signin`);
    const cookie = /wr_presession=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0];
    const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1];
    const res = await fetch(`${site.url}/editor/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: token, email: 'someone@example.com' }),
    });
    expect(res.status).toBe(403);
  });

  it('refuses a cookie-authenticated API write from another site with a JSON error; the bearer token is not affected', async () => {
    const patch = (headers: Record<string, string>) =>
      fetch(`${site.url}/api/editor/issues/${issueId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ preheader: 'via fetch' }),
      });
    const cross = await patch({ cookie: session.cookie, 'x-csrf-token': session.csrf, origin: EVIL });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/another site/i),
    });
    expect((await patch({ cookie: session.cookie, 'x-csrf-token': session.csrf, origin: site.url })).status).toBe(200);
    // A bearer token is no ambient credential a browser adds by itself: where the call comes from does not matter.
    expect((await patch({ authorization: 'Bearer cross-site-test-api-token', origin: EVIL })).status).toBe(200);
  });
});

describe('public forms', () => {
  let site: PublicSite;
  afterEach(() => site?.close());

  it('still take RFC 8058 one-click posts, which mail providers send from their own origin', async () => {
    site = await startPublicSite();
    const { unsubscribeUrl } = await subscribeAndConfirm(site, 'one-click@example.com');
    const res = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.provider.example', 'sec-fetch-site': 'cross-site' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
  });
});

describe('Strict-Transport-Security', () => {
  const HSTS = 'max-age=31536000; includeSubDomains';
  let site: EditorSite | undefined;
  afterEach(async () => {
    await site?.close();
    site = undefined;
  });
  const probe = async (url: string) => {
    const answers = await Promise.all([
      fetch(`${url}/`),
      fetch(`${url}/health`),
      fetch(`${url}/editor/signin`),
      fetch(`${url}/editor`, { redirect: 'manual' }),
      fetch(`${url}/no/such/page`),
      fetch(`${url}/api/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"x"}' }),
      fetch(`${url}/api/editor/issues/2026-w01`),
    ]);
    return Promise.all(answers.map(async (r) => [r.status, r.headers.get('strict-transport-security'), await r.arrayBuffer()][1]));
  };

  it('is sent on every response when PUBLIC_URL is https', async () => {
    site = await startEditorSite({ config: { publicUrl: 'https://recap.example.com' } });
    expect(await probe(site.url)).toEqual(Array(7).fill(HSTS));
  });

  it('is not sent when PUBLIC_URL is http', async () => {
    site = await startEditorSite();
    expect(await probe(site.url)).toEqual(Array(7).fill(null));
  });
});
