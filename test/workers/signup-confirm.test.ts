// A visitor on Workers: signup over the JSON API, confirmation mail through the queue, confirm link and its button,
// welcome mail, and the data export mailed from the preferences page.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliver, fakeResend, postJson, request, rows, sleep, workerEnv } from './helpers.js';

const linkIn = (text: string | undefined, path: string) => {
  const m = new RegExp(`http://recap\\.test/${path}/[\\w.~-]+`).exec(text ?? '');
  if (!m) throw new Error(`no /${path}/ link in:\n${text}`);
  return new URL(m[0]).pathname;
};

describe('signup → confirm on Workers', () => {
  it('queues the confirmation, sends it from the queue consumer, confirms, then sends the welcome', async () => {
    const { env: e, queue } = workerEnv();
    const res = await postJson(e, '/api/subscribe', { email: 'ada@example.com', name: 'Ada' });
    expect(res.status).toBe(202);

    // Nothing is sent inside the request: enqueueing woke the outbox with a queue message.
    expect((await fakeResend.state()).emails).toHaveLength(0);
    const wake = queue.take();
    expect(wake).toEqual([{ kind: 'send', issueId: null, reason: 'wake' }]);

    const first = await deliver(e, wake);
    expect(first.ackAll).toBe(true);
    const confirmMail = (await fakeResend.state()).emails;
    expect(confirmMail).toHaveLength(1);
    expect(confirmMail[0].to.join()).toContain('ada@example.com');

    // Opening the link shows the button and changes nothing; pressing it (POST with the page's CSRF token) confirms.
    const confirmPath = linkIn(confirmMail[0].text, 'confirm');
    const page = await request(e, confirmPath);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Confirm your subscription');
    expect(await rows(e, 'SELECT status FROM subscribers WHERE email = ?', 'ada@example.com')).toEqual([{ status: 'pending' }]);
    expect(queue.sent).toEqual([]);
    const cookie = /wr_csrf=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    const pressed = await request(e, confirmPath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('You are subscribed');
    expect(await rows(e, 'SELECT status FROM subscribers WHERE email = ?', 'ada@example.com')).toEqual([{ status: 'active' }]);

    await deliver(e, queue.take());
    const mails = (await fakeResend.state()).emails;
    expect(mails).toHaveLength(2);
    expect(mails[1].headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(linkIn(mails[1].text, 'unsubscribe')).toMatch(/^\/unsubscribe\//);

    // The same wake-up delivered again finds nothing to claim.
    await deliver(e, wake, 2);
    expect((await fakeResend.state()).requests).toHaveLength(2);

    // "Email me my data" from the welcome mail's preferences link: mailed to the reader, once per 10 minutes.
    const prefsPath = linkIn(mails[1].text, 'preferences');
    const prefs = await request(e, prefsPath);
    const prefsCookie = /wr_csrf=[^;]+/.exec(prefs.headers.get('set-cookie') ?? '')![0];
    const prefsCsrf = /name="csrf" value="([^"]+)"/.exec(await prefs.text())![1];
    const exportOnce = () =>
      request(e, `${prefsPath}/export`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: prefsCookie },
        body: new URLSearchParams({ csrf: prefsCsrf }).toString(),
      });
    const exported = await exportOnce();
    expect(exported.status).toBe(202);
    expect(await exported.text()).not.toContain('ada@example.com');
    expect((await exportOnce()).status).toBe(429);
    expect(await rows(e, "SELECT to_email FROM deliveries WHERE kind = 'export'")).toEqual([{ to_email: 'ada@example.com' }]);
    await deliver(e, queue.take());
    const exportMail = (await fakeResend.state()).emails[2];
    expect(exportMail.to).toEqual(['ada@example.com']);
    expect(exportMail.text).toContain('"email": "ada@example.com"');
  });

  it('answers bad input with a 4xx JSON error and writes nothing', async () => {
    const { env: e, queue } = workerEnv();
    const res = await postJson(e, '/api/subscribe', { email: 'not-an-address' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    expect(await rows(e, 'SELECT id FROM subscribers')).toEqual([]);
    expect(queue.sent).toEqual([]);
  });

  it('delivers a wake-up through the real queue binding to the Worker’s queue handler', async () => {
    const res = await request(env, '/api/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'queue@example.com' }),
    });
    expect(res.status).toBe(202);
    let sent: unknown[] = [];
    for (let i = 0; i < 100 && sent.length === 0; i++) {
      await sleep(100);
      sent = await rows(env, "SELECT id FROM deliveries WHERE kind = 'confirm' AND status = 'sent'");
    }
    expect(sent).toHaveLength(1);
    expect((await fakeResend.state()).countByRecipient).toEqual({ 'queue@example.com': 1 });
    await sleep(200); // let the consumer invocation finish before the next test wipes D1
  });
});
