// Story links on Workers: the recap sent from the queue consumer carries /r/ links; the redirect answers from D1 and
// counts each click there at once (no in-memory buffer in an isolate), people's clicks apart from scanners'.
import { describe, expect, it } from 'vitest';
import { deliver, fakeResend, fireCron, request, rows, workerEnv } from './helpers.js';
import { scheduleDueIssue, seedReaders } from './seed.js';

const TOKEN = 'workers-test-editor-token-0123456789';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('click measurement on Workers (D1)', () => {
  it('redirects a story link to its frozen URL, counts people and scanners apart, refuses forged tokens, and reports it in the stats', async () => {
    const { env: e, queue } = workerEnv({ TRACKING: 'aggregate' });
    await seedReaders(e, 3);
    const issueId = await scheduleDueIssue(e);
    queue.take();
    await fireCron(e, '* * * * *');
    await deliver(e, queue.take());
    const mail = (await fakeResend.state()).emails[0];
    const paths = [...new Set([...(mail.html ?? '').matchAll(/http:\/\/recap\.test(\/r\/[A-Za-z0-9._~-]+)/g)].map((m) => m[1]))];
    expect(paths.length).toBeGreaterThanOrEqual(3);
    expect(mail.text).toContain(`http://recap.test${paths[0]}`);

    const click = (env: typeof e, path: string, init: RequestInit = {}) =>
      request(env, path, { redirect: 'manual', ...init, headers: { 'user-agent': BROWSER, ...(init.headers as Record<string, string>) } });
    // seconds after the send started: a link scanner
    const first = await click(e, paths[0]);
    expect(first.status).toBe(302);
    const frozen = await rows<{ url: string }>(e, 'SELECT url FROM issue_links WHERE issue_id = ?', issueId);
    expect(frozen.map((r) => r.url)).toContain(first.headers.get('location'));

    // an hour later (a fresh isolate reads the issue again): people's clicks, and a HEAD that is still a scanner's
    await e.DB.prepare('UPDATE issues SET started_at = ?1 WHERE id = ?2')
      .bind(new Date(Date.now() - 3600_000).toISOString(), issueId)
      .all();
    const { env: later } = workerEnv({ TRACKING: 'aggregate' });
    expect((await click(later, paths[0])).status).toBe(302);
    expect((await click(later, paths[1])).status).toBe(302);
    expect((await click(later, paths[1], { method: 'HEAD' })).status).toBe(302);
    const forged = await click(later, `${paths[0].slice(0, -2)}AA`);
    expect(forged.status).toBe(404);
    expect(forged.headers.get('location')).toBeNull();
    expect((await click(later, '/r/https%3A%2F%2Fevil.example%2F')).status).toBe(404);

    expect(await rows(later, 'SELECT sum(clicks) AS people, sum(scanner_clicks) AS scanners FROM click_counts')).toEqual([{ people: 2, scanners: 2 }]);
    expect(await rows(later, 'SELECT count(*) AS n FROM click_readers')).toEqual([{ n: 0 }]);
    const stats = (await (await request(later, `/api/editor/issues/${issueId}/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      clicks: { total: number; scanners: number; perStory: { clicks: number }[] };
      funnel: { accepted: number };
    };
    expect(stats.clicks).toMatchObject({ total: 2, scanners: 2 });
    expect(stats.clicks.perStory.map((s) => s.clicks).slice(0, 2)).toEqual([1, 1]);
    expect(stats.funnel.accepted).toBe(3);
  });
});
