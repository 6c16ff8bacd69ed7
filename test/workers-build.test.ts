// `wrangler deploy --dry-run` bundles the Worker offline, as CI does: it must build, stay inside Cloudflare's
// size limits, and carry none of the Node-only parts (better-sqlite3, node-cron, the full mjml package).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'recap-worker-build-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const OFFLINE = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };
const MiB = 1024 * 1024;

describe('Workers bundle', () => {
  it('builds offline with wrangler deploy --dry-run, within the size limit, without Node-only packages', async () => {
    const wrangler = join(root, 'node_modules/.bin/wrangler');
    const { stdout } = await promisify(execFile)(wrangler, ['deploy', '--dry-run', '--outdir', outdir, '--metafile', join(outdir, 'meta.json')], {
      cwd: root,
      env: { ...process.env, ...OFFLINE },
      maxBuffer: 16 * MiB,
    });
    expect(stdout).toContain('--dry-run: exiting now.');

    const bundle = readFileSync(join(outdir, 'worker.js'));
    const gzip = gzipSync(bundle).length;
    console.log(`Worker bundle: ${(bundle.length / MiB).toFixed(2)} MiB, ${(gzip / MiB).toFixed(2)} MiB gzipped`);
    // Cloudflare's limit is on the compressed size: 3 MiB on Workers Free, 10 MiB on Paid.
    expect(gzip).toBeLessThan(3 * MiB);

    const meta = JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);
    const has = (pkg: string) => inputs.some((p) => p.includes(`node_modules/${pkg}/`));
    expect(has('mjml-browser')).toBe(true);
    for (const nodeOnly of ['mjml', 'mjml-core', 'better-sqlite3', 'node-cron', '@hono/node-server']) {
      expect({ pkg: nodeOnly, bundled: has(nodeOnly) }).toEqual({ pkg: nodeOnly, bundled: false });
    }
  }, 180_000);
});
