// The compiled server (`npm run build`, and `npm start` when the build is missing or stale): src/ and emails/ to plain
// JavaScript with source maps, one file per module, plus the migrations the migrator reads at run time.
//
// Plain JavaScript itself, because it runs before anything is compiled. esbuild rather than tsc: it is the transform tsx
// applies today (same JSX handling: react-jsx from tsconfig.json, `@jsxImportSource hono/jsx` pragmas per page), it
// builds in well under a second where tsc's emit type-checks the whole project, and it ships with tsx, a production
// dependency, so `npm install --omit=dev` can still build (TypeScript is a dev dependency).
//
// Layout of the build folder (default dist/):
//   build.json        the stamp: which build is current and the size and mtime of every input it was built from
//   <id>/src/…, <id>/emails/…, <id>/migrations/*.sql, <id>/package.json
// Each build goes into its own folder and the stamp is switched last, so a build that fails or a second `npm start`
// building at the same moment never leaves a half-written tree, and a server still running an older build keeps
// importing its own lazily loaded modules (templates, the MJML renderer) rather than the new build's.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bumped when the build's own options change, so every older build counts as stale. */
const BUILD_FORMAT = 1;
/** Builds kept besides the current one: the one before, for a server that has not restarted yet. */
const KEEP_PREVIOUS = 1;

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_OUT_DIR = join(PROJECT_ROOT, 'dist');
const STAMP = 'build.json';

/**
 * Every file the build reads, repo-relative with `/`: the TypeScript of src/ and emails/, the migrations (copied), and
 * the files that change how they compile (tsconfig.json, package.json, this file).
 */
export function listInputs(root = PROJECT_ROOT) {
  const files = [];
  const walk = (dir, keep) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel, keep);
      else if (keep(e.name)) files.push(rel);
    }
  };
  const code = (name) => /\.(ts|tsx)$/.test(name);
  walk('src', (name) => code(name) || name === 'build.mjs');
  walk('emails', code);
  walk('migrations', (name) => name.endsWith('.sql'));
  for (const f of ['tsconfig.json', 'package.json']) if (existsSync(join(root, f))) files.push(f);
  return files.sort();
}

/** Size and mtime of each input: any edit, touch, added or removed file makes the stamp differ. */
function fingerprint(root, files) {
  const out = {};
  for (const f of files) {
    const s = statSync(join(root, f));
    out[f] = [s.size, Math.round(s.mtimeMs)];
  }
  return out;
}

function buildId(fp) {
  return createHash('sha256')
    .update(JSON.stringify([BUILD_FORMAT, fp]))
    .digest('hex')
    .slice(0, 12);
}

function readStamp(outDir) {
  try {
    return JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Whether the build in `outDir` is current: `{ fresh: true, entry }`, or `{ fresh: false, reason }` naming the first
 * input that differs. Costs a stat of each input (a few ms), so `npm start` checks on every start.
 */
export function buildState({ root = PROJECT_ROOT, outDir = DEFAULT_OUT_DIR } = {}) {
  const stamp = readStamp(outDir);
  if (!stamp) return { fresh: false, reason: 'no build yet' };
  if (stamp.format !== BUILD_FORMAT) return { fresh: false, reason: 'the build was made by an older build script' };
  const entry = join(outDir, stamp.id, 'src/entry/node.js');
  if (!existsSync(entry)) return { fresh: false, reason: `${relative(root, entry)} is missing` };
  const now = fingerprint(root, listInputs(root));
  for (const [file, [size, mtime]] of Object.entries(now)) {
    const then = stamp.files[file];
    if (!then) return { fresh: false, reason: `${file} is new since the build` };
    if (then[1] !== mtime || then[0] !== size) return { fresh: false, reason: `${file} changed since the build` };
  }
  for (const file of Object.keys(stamp.files)) if (!(file in now)) return { fresh: false, reason: `${file} was removed since the build` };
  return { fresh: true, id: stamp.id, entry };
}

/** esbuild as tsx (a production dependency) resolves it, so the build does not depend on how npm hoisted it. */
async function loadEsbuild() {
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  return import(pathToFileURL(fromTsx.resolve('esbuild')).href);
}

/** Compiles into `<outDir>/<id>/` and makes it current. Returns `{ id, entry, ms, files }`. */
export async function buildServer({ root = PROJECT_ROOT, outDir = DEFAULT_OUT_DIR } = {}) {
  const t0 = performance.now();
  // The compiled modules import their packages from the project's node_modules, found only by walking up from them.
  if (relative(root, outDir).startsWith('..') || resolve(root) === resolve(outDir))
    throw new Error(`the build folder must be inside the project (${root}), not ${outDir}: its modules import packages from node_modules`);
  const inputs = listInputs(root);
  const fp = fingerprint(root, inputs);
  const id = buildId(fp);
  const final = join(outDir, id);
  const staging = join(outDir, `.${id}.${process.pid}.${randomBytes(3).toString('hex')}`);
  mkdirSync(staging, { recursive: true });
  try {
    const esbuild = await loadEsbuild();
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: inputs.filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.d.ts')),
      outbase: root,
      outdir: staging,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // tsconfig.json's "jsx": "react-jsx" (React for emails/), and each page's `@jsxImportSource hono/jsx` pragma.
      tsconfig: join(root, 'tsconfig.json'),
      sourcemap: true,
      // The maps point at the .ts files in the checkout; no need to carry a second copy of every source.
      sourcesContent: false,
      logLevel: 'silent',
    });
    esbuild.stop?.();
    mkdirSync(join(staging, 'migrations'));
    for (const f of inputs.filter((f) => f.startsWith('migrations/'))) writeFileSync(join(staging, f), readFileSync(join(root, f)));
    // The .js files are ES modules wherever the folder is.
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ type: 'module', private: true })}\n`);
    try {
      renameSync(staging, final);
    } catch (e) {
      // Someone else finished the same build first (same inputs, same id): theirs is as good as ours.
      if (!['ENOTEMPTY', 'EEXIST'].includes(e.code)) throw e;
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const previous = readStamp(outDir)?.id;
  const tmp = join(outDir, `.${STAMP}.${process.pid}`);
  writeFileSync(tmp, `${JSON.stringify({ format: BUILD_FORMAT, id, builtAt: new Date().toISOString(), files: fp }, null, 1)}\n`);
  renameSync(tmp, join(outDir, STAMP));
  pruneBuilds(outDir, [id, previous].slice(0, 1 + KEEP_PREVIOUS));
  return { id, entry: join(final, 'src/entry/node.js'), ms: Math.round(performance.now() - t0), files: inputs.length };
}

/** Removes build folders other than `keep` (and staging folders of builds that died more than an hour ago). */
function pruneBuilds(outDir, keep) {
  for (const e of readdirSync(outDir, { withFileTypes: true })) {
    if (!e.isDirectory() || keep.includes(e.name)) continue;
    const path = join(outDir, e.name);
    if (/^[0-9a-f]{12}$/.test(e.name)) rmSync(path, { recursive: true, force: true });
    else if (e.name.startsWith('.') && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
}

/** `--out-dir <dir>` from argv, resolved against the working directory; the default is dist/ in the project. */
export function outDirArg(argv) {
  const i = argv.indexOf('--out-dir');
  return i >= 0 && argv[i + 1] ? resolve(argv[i + 1]) : DEFAULT_OUT_DIR;
}

/** A one-line reason for a failed build: esbuild's first error with its place, or the file system's complaint. */
export function buildErrorLine(e) {
  const first = e?.errors?.[0];
  if (first) {
    const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
    const more = e.errors.length > 1 ? ` (and ${e.errors.length - 1} more)` : '';
    return `Build failed: ${at}${first.text}${more}`;
  }
  if (e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS')
    return `Build failed: cannot write ${e.path ?? 'the build folder'} (${e.code}). Run \`npm run build\` as the user who owns the checkout.`;
  return `Build failed: ${e instanceof Error ? e.message : String(e)}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = outDirArg(process.argv.slice(2));
  try {
    const { id, ms, files } = await buildServer({ outDir });
    const where = relative(process.cwd(), join(outDir, id));
    console.log(`Built ${where.startsWith('..') ? join(outDir, id) : where}${sep} from ${files} files in ${ms} ms`);
  } catch (e) {
    console.error(buildErrorLine(e));
    process.exit(1);
  }
}
