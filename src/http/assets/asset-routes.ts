// Serves the pages' stylesheets, scripts and icon under /assets/: hashed URLs are cached for a year, plain names revalidate.
import { Hono, type Context } from 'hono';
import { ASSET_FILES, type AssetName } from './embedded.js';

export type { AssetName };

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Plain names (old pages, hand-typed URLs) and other versions' hashes: always asked again, a 304 when unchanged.
// Never immutable for a hash that is not ours: after a rollback the old hash means the old file again.
const REVALIDATE = 'no-cache';

const split = (name: string) => {
  const dot = name.lastIndexOf('.');
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
};

/** The URL a page links to: the content hash in the name, so a new version is a new URL. */
export function assetUrl(name: AssetName): string {
  const { stem, ext } = split(name);
  return `/assets/${stem}.${ASSET_FILES[name].hash}${ext}`;
}

/** A file's text, for the few places that inline one (the embeddable signup form). */
export function assetText(name: AssetName): string {
  return ASSET_FILES[name].body;
}

/** `public.css` or `public.<hash>.css` → the asset and whether the hash is the current one. */
function lookup(file: string): { name: AssetName; current: boolean } | undefined {
  if (Object.hasOwn(ASSET_FILES, file)) return { name: file as AssetName, current: false };
  const m = /^(.+)\.([0-9a-f]{6,64})(\.[a-z]+)$/.exec(file);
  if (!m) return undefined;
  const name = `${m[1]}${m[3]}`;
  if (!Object.hasOwn(ASSET_FILES, name)) return undefined;
  return { name: name as AssetName, current: ASSET_FILES[name as AssetName].hash === m[2] };
}

function serve(c: Context, name: AssetName, cacheControl: string): Response {
  const asset = ASSET_FILES[name];
  const etag = `"${asset.hash}"`;
  const headers = { ETag: etag, 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' };
  const match = c.req.header('if-none-match');
  if (match?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return c.body(null, 304, headers);
  return c.body(asset.body, 200, { ...headers, 'Content-Type': asset.type });
}

export function assetRoutes() {
  const app = new Hono();
  app.get('/assets/:file', (c) => {
    const found = lookup(c.req.param('file'));
    if (!found) return c.notFound();
    return serve(c, found.name, found.current ? IMMUTABLE : REVALIDATE);
  });
  // Browsers ask for it on their own, whatever the page says.
  app.get('/favicon.ico', (c) => serve(c, 'favicon.svg', REVALIDATE));
  return app;
}
