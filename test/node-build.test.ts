// The compiled server (issue 17): `npm run build` turns src/ and emails/ into JavaScript in dist/, `npm start` runs it
// and rebuilds first when any source changed. Run on a copy of the project (its node_modules linked), so touching and
// editing sources here never disturbs the checkout.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildErrorLine, buildServer, buildState, listInputs, PROJECT_ROOT } from '../src/entry/node/build.mjs';
import { cleanEnv, LISTEN_LINE } from './helpers/server-process.js';

const TOKEN = 'node-build-editor-token-0123456789';
let root: string;
let dataDir: string;
const outDir = () => join(root, 'dist');
const stamp = () => JSON.parse(readFileSync(join(outDir(), 'build.json'), 'utf8')) as { id: string; files: Record<string, unknown> };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'recap-build-'));
  for (const f of ['src', 'emails', 'migrations', 'package.json', 'tsconfig.json']) cpSync(join(PROJECT_ROOT, f), join(root, f), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  dataDir = join(root, 'data');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `npm start` in the copy (npm, then node: the script execs it) until the banner names the port. */
async function npmStart() {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: cleanEnv({
      PORT: '0',
      APP_SECRET: 'node-build-secret-0123456789abcdef',
      DATABASE_PATH: join(dataDir, 'recap.db'),
      EDITOR_API_TOKEN: TOKEN,
      LOG_FORMAT: 'json',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const stop = async () => {
    // npm passes the signal on to the server, whose clean exit is npm's exit code.
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in 60 s\n${out}\n${err}`)), 60_000);
      child.stdout!.on('data', () => {
        const m = LISTEN_LINE.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      void exited.then((code) => reject(new Error(`exited ${code}\n${out}\n${err}`)));
    });
    return { url: `http://127.0.0.1:${port}`, out: () => out, err: () => err, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

describe('npm run build', () => {
  it('compiles every module of src/ and emails/ with a source map, copies the migrations, and marks the build fresh', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: root, env: cleanEnv() });
    const { id } = stamp();
    expect(stdout).toContain(`Built dist/${id}/ from`);
    const build = join(outDir(), id);
    const sources = listInputs(root).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
    expect(sources.length).toBeGreaterThan(100);
    for (const f of sources) {
      const js = join(build, f.replace(/\.tsx?$/, '.js'));
      expect({ f, compiled: existsSync(js), map: existsSync(`${js}.map`) }).toEqual({ f, compiled: true, map: true });
    }
    expect(readdirSync(join(build, 'migrations')).sort()).toEqual(readdirSync(join(root, 'migrations')).sort());
    expect(buildState({ root, outDir: outDir() })).toEqual({ fresh: true, id, entry: join(build, 'src/entry/node.js') });
  });

  it('compiles JSX the way tsx runs it: hono/jsx where a page asks for it by pragma, React everywhere else', () => {
    const build = join(outDir(), stamp().id);
    const tsx = listInputs(root).filter((f) => f.endsWith('.tsx'));
    const runtimes = tsx.map((f) => {
      const js = readFileSync(join(build, f.replace(/\.tsx$/, '.js')), 'utf8');
      const want = readFileSync(join(root, f), 'utf8').includes('@jsxImportSource hono/jsx') ? 'hono/jsx/jsx-runtime' : 'react/jsx-runtime';
      return { f, want, imports: /from "([^"]+\/jsx-runtime)"/.exec(js)?.[1] ?? 'none' };
    });
    expect(runtimes.filter((r) => r.want === 'hono/jsx/jsx-runtime').length).toBeGreaterThan(10);
    expect(runtimes.filter((r) => r.f.startsWith('emails/') && r.want === 'react/jsx-runtime').length).toBeGreaterThan(5);
    for (const r of runtimes) expect(r.imports, r.f).toBe(r.want);
  });
});

describe('npm start on the compiled build', () => {
  it('runs the build without rebuilding it: /health, the signup page (hono/jsx) and both mail engines (React)', async () => {
    const built = stamp().id;
    const s = await npmStart();
    try {
      expect(s.out()).not.toContain('Building the server');
      expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ ok: true });
      const page = await fetch(`${s.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>The AI stories that mattered this week, in one short email.</h1>');
      const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const issue = (await (await fetch(`${s.url}/api/editor/issues`, { method: 'POST', headers: auth, body: '{}' })).json()) as {
        id: string;
        items: { title: string }[];
      };
      expect(issue.items.length).toBeGreaterThan(0);
      for (const engine of ['react', 'mjml']) {
        const res = await fetch(`${s.url}/api/editor/issues/${issue.id}/preview?format=html&engine=${engine}`, { headers: auth });
        const html = await res.text();
        expect({ engine, status: res.status }).toEqual({ engine, status: 200 });
        expect(html).toMatch(/^<!DOCTYPE html/i);
        // A stretch of a story title that no engine escapes differently.
        const plain = issue.items.map((i) => /^[A-Za-z0-9 ,.-]{12,}/.exec(i.title)?.[0]).find(Boolean)!;
        expect(html).toContain(plain);
      }
    } finally {
      expect(await s.stop()).toBe(0);
    }
    expect(stamp().id).toBe(built);
  });

  it('rebuilds first when a source changed since the build, and serves the changed code', async () => {
    const before = stamp().id;
    const page = join(root, 'src/http/public/signup-page.tsx');
    writeFileSync(page, readFileSync(page, 'utf8').replace('<h1>The AI stories that mattered this week', '<h1>Rebuilt-probe stories'));
    const s = await npmStart();
    try {
      expect(s.out()).toContain('Building the server (src/http/public/signup-page.tsx changed since the build)');
      expect(await (await fetch(`${s.url}/`)).text()).toContain('<h1>Rebuilt-probe stories, in one short email.</h1>');
    } finally {
      expect(await s.stop()).toBe(0);
    }
    const after = stamp().id;
    expect(after).not.toBe(before);
    // The previous build stays for a server still running it; the current one is what the stamp names.
    expect(
      readdirSync(outDir())
        .filter((d) => /^[0-9a-f]{12}$/.test(d))
        .sort(),
    ).toEqual([before, after].sort());
  });

  it('counts a removed file and a touched one as stale, not only edited content (a new file: below)', () => {
    const place = { root, outDir: outDir() };
    expect(buildState(place).fresh).toBe(true);
    const migration = join(root, 'migrations/0001_init.sql');
    renameSync(migration, `${migration}.away`);
    try {
      expect(buildState(place)).toEqual({ fresh: false, reason: 'migrations/0001_init.sql was removed since the build' });
    } finally {
      renameSync(`${migration}.away`, migration);
    }
    // Same bytes, later mtime (a checkout, a copy): rebuilt all the same.
    const file = join(root, 'src/shared/topics.ts');
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(buildState(place)).toEqual({ fresh: false, reason: 'src/shared/topics.ts changed since the build' });
  });

  it('a source that does not compile fails the build in one line and leaves the current build in place', async () => {
    const place = { root, outDir: outDir() };
    await buildServer(place);
    const current = stamp().id;
    writeFileSync(join(root, 'src/shared/broken-probe.ts'), 'export const x = ;\n');
    expect(buildState(place)).toEqual({ fresh: false, reason: 'src/shared/broken-probe.ts is new since the build' });
    const e = await buildServer(place).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).not.toBeNull();
    const line = buildErrorLine(e);
    expect(line).toMatch(/^Build failed: src\/shared\/broken-probe\.ts:1:\d+: /);
    expect(line).not.toContain('\n');
    expect(stamp().id).toBe(current);
    expect(readdirSync(outDir()).filter((d) => d.startsWith('.'))).toEqual([]);
    rmSync(join(root, 'src/shared/broken-probe.ts'));
    expect(buildState(place).fresh).toBe(true);
  });
});
