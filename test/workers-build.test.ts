// The deployable artifact, offline as CI builds it: `wrangler deploy --dry-run` must bundle the Worker inside
// Cloudflare's size limit without Node-only packages, and that very bundle must boot in workerd on a D1 migrated
// by `wrangler d1 migrations apply` (the README's commands), serve pages, build a draft and render both engines.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'recap-worker-build-'));
const outdir = join(work, 'dist');
const persist = join(work, 'state');
const wrangler = join(root, 'node_modules/.bin/wrangler');
const OFFLINE = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };
const MiB = 1024 * 1024;
const TOKEN = 'build-smoke-editor-token-0123456789';

const run = (args: string[]) => promisify(execFile)(wrangler, args, { cwd: root, env: { ...process.env, ...OFFLINE }, maxBuffer: 16 * MiB });

let buildOutput = '';
beforeAll(async () => {
  buildOutput = (await run(['deploy', '--dry-run', '--outdir', outdir, '--metafile', join(outdir, 'meta.json')])).stdout;
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('Workers bundle', () => {
  it('builds offline with wrangler deploy --dry-run, within the size limit, without Node-only packages', () => {
    expect(buildOutput).toContain('--dry-run: exiting now.');
    const bundle = readFileSync(join(outdir, 'worker.js'));
    const gzip = gzipSync(bundle).length;
    console.log(`Worker bundle: ${(bundle.length / MiB).toFixed(2)} MiB, ${(gzip / MiB).toFixed(2)} MiB gzipped`);
    // Cloudflare limits the compressed size: 3 MiB on Workers Free, 10 MiB on Paid.
    expect(gzip).toBeLessThan(3 * MiB);

    const meta = JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const has = (pkg: string) => Object.keys(meta.inputs).some((p) => p.includes(`node_modules/${pkg}/`));
    expect(has('mjml-browser')).toBe(true);
    for (const nodeOnly of ['mjml', 'mjml-core', 'better-sqlite3', 'node-cron', '@hono/node-server']) {
      expect({ pkg: nodeOnly, bundled: has(nodeOnly) }).toEqual({ pkg: nodeOnly, bundled: false });
    }
  });

  it('boots the built bundle on a D1 migrated by wrangler, and serves, ingests, builds and renders both engines', async () => {
    await run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
    const config = unstable_readConfig({ config: join(root, 'wrangler.toml') });
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(outdir, 'worker.js'),
      modulesRoot: outdir,
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      d1Databases: { DB: config.d1_databases[0].database_id! },
      d1Persist: join(persist, 'v3', 'd1'),
      queueProducers: { OUTBOX_QUEUE: 'weekly-ai-recap-outbox' },
      bindings: {
        ...(config.vars as Record<string, string>),
        LOG_LEVEL: 'error',
        PUBLIC_URL: 'http://recap.test',
        APP_SECRET: 'build-smoke-secret-0123456789abcdef',
        EDITOR_API_TOKEN: TOKEN,
        SIGNUP_RATE_PER_MIN: '0',
      },
    });
    try {
      const call = async (path: string, init?: RequestInit & { json?: unknown }) => {
        const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
        if (init?.json !== undefined) headers['content-type'] = 'application/json';
        const res = await mf.dispatchFetch(`http://recap.test${path}`, {
          method: init?.method ?? (init?.json !== undefined ? 'POST' : 'GET'),
          headers,
          body: init?.json === undefined ? undefined : JSON.stringify(init.json),
        });
        return { status: res.status, text: await res.text() };
      };
      expect(await call('/health')).toEqual({ status: 200, text: '{"ok":true}' });
      const home = await call('/');
      expect(home.status).toBe(200);
      // The page's stylesheet, icon and script are in the bundle (src/http/assets/embedded.ts), at their hashed URLs.
      const linked = [...home.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      expect(linked).toHaveLength(3);
      for (const href of linked) {
        const res = await mf.dispatchFetch(`http://recap.test${href}`);
        const body = await res.text();
        expect({ href, status: res.status, cache: res.headers.get('cache-control'), type: res.headers.get('content-type')?.split(';')[0] }).toEqual({
          href,
          status: 200,
          cache: 'public, max-age=31536000, immutable',
          type: href.endsWith('.css') ? 'text/css' : href.endsWith('.js') ? 'text/javascript' : 'image/svg+xml',
        });
        expect(body.length).toBeGreaterThan(200);
      }
      expect((await call('/api/subscribe', { json: { email: 'smoke@example.com' } })).status).toBe(202);

      const published = new Date(Date.now() - 3600_000).toISOString();
      const events = Array.from({ length: 3 }, (_, i) => ({
        externalId: `smoke-${i}`,
        title: `Smoke story ${i}`,
        url: `https://news.example/${i}`,
        sourceName: 'Example',
        publishedAt: published,
      }));
      expect(await call('/api/events', { json: { events } })).toEqual({ status: 200, text: '{"stored":3,"errors":[]}' });
      const built = await call('/api/editor/issues', { json: {} });
      expect(built.status).toBeLessThan(300);
      const issue = JSON.parse(built.text) as { id: string };
      for (const engine of ['react', 'mjml']) {
        const preview = await call(`/api/editor/issues/${issue.id}/preview?format=html&engine=${engine}`);
        expect({ engine, status: preview.status }).toEqual({ engine, status: 200 });
        expect(preview.text).toMatch(/^<!doctype html/i);
      }
      // The pre-send checks run the caniemail lint, the reason for nodejs_compat.
      expect((await call(`/api/editor/issues/${issue.id}/checks`)).status).toBe(200);
    } finally {
      await mf.dispose();
    }
  }, 180_000);
});
