// The pages' stylesheets and scripts are real files (src/http/assets/), embedded by src/http/assets/build-assets.ts and
// served with their content hash in the URL: long-lived caching that a new version can never be hidden behind.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSETS_DIR, EMBEDDED_MODULE, contentHash, embeddedModuleSource, readAssetFiles } from '../src/http/assets/build-assets.js';
import { ASSET_FILES, type AssetName } from '../src/http/assets/embedded.js';
import { assetUrl } from '../src/http/assets/asset-routes.js';
import { embedSnippet } from '../src/http/public/embed-snippet.js';
import { startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { startPublicSite, type PublicSite } from './helpers/public-site.js';

const NAMES = Object.keys(ASSET_FILES) as AssetName[];

describe('the embedded module', () => {
  it('is what src/http/assets/build-assets.ts writes from the files today (else: npm run assets)', () => {
    const fresh = embeddedModuleSource(readAssetFiles());
    const stale = readFileSync(EMBEDDED_MODULE, 'utf8') !== fresh;
    expect(stale, `${EMBEDDED_MODULE} is stale: a file in ${ASSETS_DIR} changed. Run \`npm run assets\` and commit both.`).toBe(false);
  });

  it('holds every file byte for byte, with the hash of its bytes', () => {
    const files = readAssetFiles();
    expect(files.map((f) => f.name).sort()).toEqual([...NAMES].sort());
    expect(NAMES).toEqual(expect.arrayContaining(['editor.css', 'editor.js', 'public.css', 'signup.js', 'favicon.svg', 'embed-signup.js']));
    for (const f of files) {
      expect(ASSET_FILES[f.name as AssetName].body, f.name).toBe(f.text);
      expect(ASSET_FILES[f.name as AssetName].hash).toBe(contentHash(f.text));
    }
  });

  it('round-trips the characters a template literal would mangle', () => {
    const text = 'a`b ${c} \\d \r\n \u2028 ’ </script> \\`';
    const source = embeddedModuleSource([{ name: 'x.js', text }]);
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const exports: { ASSET_FILES?: Record<string, { body: string }> } = {};
    new Function('exports', js)(exports);
    expect(exports.ASSET_FILES?.['x.js'].body).toBe(text);
  });
});

describe('serving', () => {
  let site: PublicSite;
  beforeAll(async () => {
    site = await startPublicSite();
  });
  afterAll(async () => site?.close());

  it.each(NAMES)('%s: at its hashed URL with its type, a year of caching, an ETag and nosniff', async (name) => {
    const res = await fetch(site.url + assetUrl(name));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml; charset=utf-8' }[name.split('.').pop()!],
    );
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toBe(`"${ASSET_FILES[name].hash}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(readFileSync(`${ASSETS_DIR}${name}`, 'utf8'));
  });

  it('answers 304 without a body when the ETag still matches', async () => {
    const url = site.url + assetUrl('public.css');
    const res = await fetch(url, { headers: { 'if-none-match': `W/"nope", "${ASSET_FILES['public.css'].hash}"` } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect((await fetch(url, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('serves plain names and other versions’ hashes too, but never as immutable (old pages, rollbacks)', async () => {
    for (const path of ['/assets/public.css', '/assets/signup.js', '/assets/public.0123456789ab.css', '/favicon.ico']) {
      const res = await fetch(site.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(res.headers.get('etag'), path).toMatch(/^"[0-9a-f]{12}"$/);
    }
    expect(await (await fetch(`${site.url}/assets/public.0123456789ab.css`)).text()).toBe(ASSET_FILES['public.css'].body);
  });

  it('has nothing else under /assets/', async () => {
    for (const path of ['/assets/embedded.ts', '/assets/asset-routes.ts', '/assets/nope.css', `/assets/..%2Fembedded.ts`, '/assets/public.css.map']) {
      expect((await fetch(site.url + path)).status, path).toBe(404);
    }
  });
});

/** Every <link href> and <script src>, and whether any <style> or <script> carries code of its own. */
function assetRefs(html: string) {
  const refs = [...html.matchAll(/<(?:link|script)\b[^>]*?(?:href|src)="([^"]+)"/g)].map((m) => m[1]).filter((u) => u.startsWith('/assets/'));
  const inline = [...html.matchAll(/<(style|script)\b[^>]*>([\s\S]*?)<\/\1>/g)].filter((m) => m[2].trim() !== '').map((m) => m[0].slice(0, 80));
  return { refs, inline };
}

describe('pages', () => {
  let site: PublicSite;
  let editor: EditorSite;
  beforeAll(async () => {
    site = await startPublicSite();
    editor = await startEditorSite();
  });
  afterAll(async () => {
    await site?.close();
    await editor?.close();
  });

  it('the signup page links the current hashed stylesheet, icon and script, and inlines none', async () => {
    const res = await fetch(`${site.url}/`);
    const { refs, inline } = assetRefs(await res.text());
    expect(refs.sort()).toEqual([assetUrl('favicon.svg'), assetUrl('public.css'), assetUrl('signup.js')].sort());
    expect(inline).toEqual([]);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self'");
  });

  it('editor pages link the workspace files; the script carries the nonce the CSP allows', async () => {
    const { cookie } = await editor.signIn();
    for (const path of ['/editor', '/editor/signin']) {
      const res = await fetch(editor.url + path, { headers: path === '/editor' ? { cookie } : {} });
      expect(res.status, path).toBe(200);
      const html = await res.text();
      const { refs, inline } = assetRefs(html);
      expect(inline, path).toEqual([]);
      expect(refs, path).toContain(assetUrl('editor.css'));
      for (const ref of refs) expect((await fetch(editor.url + ref)).headers.get('cache-control'), ref).toContain('immutable');
      if (path !== '/editor') continue;
      const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
      expect(nonce).toBeTruthy();
      expect(html).toContain(`<script nonce="${nonce}" src="${assetUrl('editor.js')}"></script>`);
    }
  });

  it('the embeddable form inlines embed-signup.js (one paste), without its source comments', () => {
    const snippet = embedSnippet('https://recap.example.com');
    const code = ASSET_FILES['embed-signup.js'].body.replace(/^(\/\/.*\n)+/, '');
    expect(code).toContain("querySelectorAll('form.wr-signup')");
    expect(snippet).toContain(`<script>\n${code}</script>`);
    expect(snippet).not.toMatch(/^\/\//m);
  });
});
