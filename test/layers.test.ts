// The layer rules: which folder may import which, checked on every import in src/ and emails/ (type-only included).
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * The rules (README "Architecture" quotes this table):
 *
 * | layer     | may import                                                                              |
 * |-----------|-----------------------------------------------------------------------------------------|
 * | src/core  | only src/core, src/db (shared modules only), src/mail, src/config.ts, src/shared;        |
 * |           | packages that run on both runtimes (CORE_PACKAGES). Never hono, @hono/*, better-sqlite3, |
 * |           | node:* or Node built-ins, cloudflare:*, nor read process.env                             |
 * | src/db    | anything but src/http, src/entry, src/jobs, src/cli; src/core by type only               |
 * | src/mail  | anything but src/http, src/entry, src/jobs, src/cli; src/core by type only               |
 * | src/http  | anything but src/entry, src/jobs, src/cli                                                |
 * | emails    | only src/mail and src/shared, and those by type only (`import type`)                     |
 *
 * "src/db (shared modules only)": the Kysely repositories, schema types and helpers both runtimes run. The modules
 * for one runtime (RUNTIME_DB_MODULES) are off limits to core, so the Workers entry never pulls in better-sqlite3.
 *
 * "by type only": src/mail renders the templates, so a value import back from emails/ would close a loop and make
 * loading a template (which the sender does) load and run mail code; preview data is a literal in emails/fixtures/.
 */
interface LayerRule {
  layer: string;
  /** The only layers it may import (an allowlist), or… */
  only?: string[];
  /** …the layers it must not import. */
  never?: string[];
  /** Layers it may import only with `import type` (erased when compiled). */
  typeOnly?: string[];
}

const RULES: LayerRule[] = [
  { layer: 'src/core', only: ['src/core', 'src/db', 'src/mail', 'src/config.ts', 'src/shared'] },
  // db and mail sit below the core at run time: they may name its types (Deps, a domain row) but never call into it
  { layer: 'src/db', never: ['src/http', 'src/entry', 'src/jobs', 'src/cli'], typeOnly: ['src/core'] },
  { layer: 'src/mail', never: ['src/http', 'src/entry', 'src/jobs', 'src/cli'], typeOnly: ['src/core'] },
  { layer: 'src/http', never: ['src/entry', 'src/jobs', 'src/cli'] },
  { layer: 'emails', only: ['src/mail', 'src/shared'], typeOnly: ['src/mail', 'src/shared'] },
];

/** src/db modules that run on one runtime only: better-sqlite3 and node:* (Node), or D1 (Workers). */
const RUNTIME_DB_MODULES: (string | RegExp)[] = [
  /^src\/db\/sqlite\//, // better-sqlite3, node:fs, node:worker_threads (Workers apply migrations with wrangler)
  /^src\/db\/d1\//, // Cloudflare D1
];

/** Packages src/core may use: each runs on Node and in workerd alike. Add one only if that holds for it. */
const CORE_PACKAGES = ['zod', 'kysely', 'feedsmith', 'react'];

/** Never in src/core: the message says why. */
const CORE_FORBIDDEN_PACKAGES: [RegExp, string][] = [
  [/^(hono|@hono\/.*)$/, 'HTTP belongs to src/http'],
  [/^better-sqlite3$/, 'the embedded database belongs to src/db (runtime modules) and src/entry'],
  [/^node:/, 'Node built-ins do not exist on Workers'],
  [new RegExp(`^(${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`), 'Node built-ins do not exist on Workers'],
  [/^cloudflare:/, 'Workers APIs belong to src/entry'],
];

/**
 * Imports that break a rule today, each with why; the reorganisation (issue 14) empties this list. A listed import
 * that no longer happens fails the test too, so the list cannot go stale.
 */
const KNOWN_EXCEPTIONS: { from: string; to: string; why: string }[] = [];

// ---------- reading the imports ----------

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCANNED = ['src', 'emails'];

interface ImportRef {
  from: string; // repo-relative file
  specifier: string;
  /** Repo-relative file for our own modules; undefined for packages. */
  to?: string;
  /** Package name for bare specifiers (`@hono/node-server`, `node:fs`, `fs`). */
  pkg?: string;
  typeOnly: boolean;
  line: number;
}

function listSources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : listSources(rel);
    return /\.(m|c)?tsx?$/.test(e.name) ? [rel] : [];
  });
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** The folder a repo-relative file belongs to: `src/core`, `emails`, or a root file such as `src/config.ts`. */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'emails') return 'emails';
  if (parts[0] === 'src') return parts.length === 2 ? file : `src/${parts[1]}`;
  return parts[0]; // outside src/ and emails/ (test/, node_modules/): no layer of ours
}

const isRuntimeDb = (file: string) => RUNTIME_DB_MODULES.some((m) => (typeof m === 'string' ? m === file : m.test(file)));

let compilerOptions: ts.CompilerOptions;

function resolveSpecifier(spec: string, fromFile: string): { to?: string; pkg?: string } {
  const abs = join(ROOT, fromFile);
  const isRelative = spec.startsWith('.') || spec.startsWith('/');
  const r = ts.resolveModuleName(spec, abs, compilerOptions, ts.sys).resolvedModule;
  if (!isRelative) return { pkg: packageName(spec) };
  // `.js` specifiers resolve to their `.ts`/`.tsx`; a file TypeScript cannot resolve (a .css asset) keeps its path
  const target = r && !r.isExternalLibraryImport ? r.resolvedFileName : resolve(dirname(abs), spec);
  return { to: relative(ROOT, target).split('\\').join('/') };
}

/** Every import of a file, from its syntax tree: import/export … from, `import type`, import(), typeof import(), require(). */
function readImports(file: string): { imports: ImportRef[]; processEnv: number[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const imports: ImportRef[] = [];
  const processEnv: number[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (spec: ts.Node | undefined, typeOnly: boolean, at: ts.Node) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    imports.push({ from: file, specifier: spec.text, typeOnly, line: lineOf(at), ...resolveSpecifier(spec.text, file) });
  };
  const isProcess = (e: ts.Expression): boolean =>
    (ts.isIdentifier(e) && e.text === 'process') ||
    (ts.isPropertyAccessExpression(e) && e.name.text === 'process' && ts.isIdentifier(e.expression) && e.expression.text === 'globalThis');
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const allTypes =
        !!c &&
        (c.isTypeOnly ||
          (!c.name &&
            !!c.namedBindings &&
            ts.isNamedImports(c.namedBindings) &&
            c.namedBindings.elements.length > 0 &&
            c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, allTypes, node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true, node);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      add(node.arguments[0], false, node);
    } else if (ts.isPropertyAccessExpression(node) && node.name.text === 'env' && isProcess(node.expression)) {
      processEnv.push(lineOf(node));
    } else if (
      ts.isElementAccessExpression(node) &&
      isProcess(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === 'env'
    ) {
      processEnv.push(lineOf(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, processEnv };
}

// ---------- checking ----------

interface Violation {
  from: string;
  to: string;
  line: number;
  reason: string;
}

function checkImport(imp: ImportRef): Violation | undefined {
  const layer = layerOf(imp.from);
  const at = { from: imp.from, line: imp.line };
  if (imp.pkg) {
    if (layer !== 'src/core') return undefined;
    const forbidden = CORE_FORBIDDEN_PACKAGES.find(([re]) => re.test(imp.pkg!));
    if (forbidden) return { ...at, to: imp.pkg, reason: `src/core must not import ${imp.pkg}: ${forbidden[1]}` };
    if (!CORE_PACKAGES.includes(imp.pkg))
      return {
        ...at,
        to: imp.pkg,
        reason: `src/core imports ${imp.pkg}, which is not in CORE_PACKAGES (add it there only if it runs on Node and Workers alike)`,
      };
    return undefined;
  }
  const target = layerOf(imp.to!);
  if (target === layer) return undefined;
  const rule = RULES.find((r) => r.layer === layer);
  if (!rule) return undefined;
  if (rule.only && !rule.only.includes(target)) return { ...at, to: imp.to!, reason: `${layer} may import only ${rule.only.join(', ')}; not ${target}` };
  if (rule.never?.includes(target)) return { ...at, to: imp.to!, reason: `${layer} must not import ${target}` };
  if (rule.typeOnly?.includes(target) && !imp.typeOnly) {
    return { ...at, to: imp.to!, reason: `${layer} may import ${target} by type only (import type …); for preview data use a literal in emails/fixtures/` };
  }
  if (layer === 'src/core' && target === 'src/db' && isRuntimeDb(imp.to!)) {
    return { ...at, to: imp.to!, reason: `src/core must not import a runtime-specific database module (${imp.to})` };
  }
  return undefined;
}

const isKnown = (v: Violation) => KNOWN_EXCEPTIONS.some((k) => k.from === v.from && k.to === v.to);
const describeViolation = (v: Violation) => `${v.from}:${v.line} → ${v.to}: ${v.reason}`;

let files: string[];
let imports: ImportRef[];
let processEnvInCore: string[];

beforeAll(() => {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  compilerOptions = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
  files = SCANNED.flatMap(listSources).filter((f) => !f.endsWith('.d.ts'));
  imports = [];
  processEnvInCore = [];
  for (const f of files) {
    const r = readImports(f);
    imports.push(...r.imports);
    if (layerOf(f) === 'src/core') processEnvInCore.push(...r.processEnv.map((line) => `${f}:${line}`));
  }
});

// ---------- cycles (Tarjan's strongly connected components) ----------

function stronglyConnected(nodes: string[], edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || edges.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) connect(n);
  return out;
}

function graph(refs: ImportRef[], key: (file: string) => string) {
  const edges = new Map<string, Set<string>>();
  const why = new Map<string, string[]>(); // "a → b" → the files that make the edge
  for (const r of refs) {
    if (!r.to) continue;
    const a = key(r.from);
    const b = key(r.to);
    if (a === b && key === layerOf) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
    const k = `${a} → ${b}`;
    why.set(k, [...(why.get(k) ?? []), `${r.from} → ${r.to}${r.typeOnly ? ' (type only)' : ''}`]);
  }
  return { edges, why };
}

describe('layer rules', () => {
  it('scans the real tree (the checks below are not vacuous)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => layerOf(f) === 'src/core').length).toBeGreaterThan(20);
    expect(imports.filter((i) => layerOf(i.from) === 'src/core' && i.to && layerOf(i.to) === 'src/db').length).toBeGreaterThan(10);
    // every relative import points at a source file or an asset on disk: a wrong resolution would hide a violation
    const unresolved = imports.filter((i) => i.to && !files.includes(i.to) && !existsSync(join(ROOT, i.to.replace(/\?.*$/, ''))));
    expect(unresolved.map((i) => `${i.from}:${i.line} '${i.specifier}' → ${i.to}`)).toEqual([]);
  });

  it('holds for every import in src/ and emails/ (known exceptions aside)', () => {
    const violations = imports.map(checkImport).filter((v): v is Violation => !!v && !isKnown(v));
    expect(violations.map(describeViolation), `Layer rule broken:\n${violations.map((v) => `  - ${describeViolation(v)}`).join('\n')}`).toEqual([]);
  });

  it('lets emails/ import src/mail and src/shared by type only, and catches a value import', () => {
    const fromEmails = imports.filter((i) => layerOf(i.from) === 'emails' && i.to && ['src/mail', 'src/shared'].includes(layerOf(i.to)));
    expect(fromEmails.length, 'the templates use the view-model types: the check below is not vacuous').toBeGreaterThan(3);
    expect(fromEmails.filter((i) => !i.typeOnly).map((i) => `${i.from}:${i.line} → ${i.to}`)).toEqual([]);
    const probe = (typeOnly: boolean, to = 'src/mail/view-model.ts'): ImportRef => ({
      from: 'emails/weekly-recap.tsx',
      specifier: '../src/mail/view-model.js',
      to,
      typeOnly,
      line: 1,
    });
    expect(checkImport(probe(true))).toBeUndefined();
    expect(checkImport(probe(false))?.reason).toMatch(/by type only/);
    expect(checkImport(probe(false, 'src/shared/topics.ts'))?.reason).toMatch(/by type only/);
    expect(checkImport(probe(true, 'src/core/deps.ts'))?.reason).toMatch(/may import only src\/mail, src\/shared/);
  });

  it('lists as known exceptions only imports that still happen and still break a rule', () => {
    const stale = KNOWN_EXCEPTIONS.filter((k) => !imports.some((i) => i.from === k.from && i.to === k.to && checkImport(i)));
    expect(
      stale.map((k) => `${k.from} → ${k.to}`),
      'fixed: remove these from KNOWN_EXCEPTIONS',
    ).toEqual([]);
  });

  it('never reads process.env in src/core (config comes in through deps)', () => {
    expect(processEnvInCore).toEqual([]);
  });

  it('names every src/db module that needs a runtime in RUNTIME_DB_MODULES', () => {
    const nodeOnly = /^(node:|better-sqlite3$|cloudflare:)/;
    const builtins = new Set(builtinModules);
    const unnamed = [
      ...new Set(
        imports
          .filter((i) => layerOf(i.from) === 'src/db' && i.pkg && !i.typeOnly && (nodeOnly.test(i.pkg) || builtins.has(i.pkg)) && !isRuntimeDb(i.from))
          .map((i) => `${i.from} (imports ${i.pkg})`),
      ),
    ];
    expect(unnamed, 'runtime-specific modules that src/core could import: add them to RUNTIME_DB_MODULES').toEqual([]);
  });

  it('has no import cycle between files, and prints the cycles between folders', () => {
    const folders = graph(imports, layerOf);
    const folderCycles = stronglyConnected([...folders.edges.keys()].sort(), folders.edges);
    const pairs: string[] = [];
    for (const [a, bs] of folders.edges) for (const b of bs) if (a < b && folders.edges.get(b)?.has(a)) pairs.push(`${a} ⇄ ${b}`);
    const lines = [
      `Cycles between top-level folders (reported, not failed): ${folderCycles.length === 0 ? 'none' : folderCycles.map((c) => c.join(' ⇄ ')).join('; ')}`,
      ...pairs.flatMap((p) => {
        const [a, b] = p.split(' ⇄ ');
        // a few files per direction show what makes the loop; the count shows it shrinking
        const side = (k: string) => {
          const files = [...folders.why.get(k)!].sort((x, y) => Number(x.endsWith('(type only)')) - Number(y.endsWith('(type only)')));
          return [
            `    ${k} (${files.length}):`,
            ...files.slice(0, 3).map((w) => `      ${w}`),
            ...(files.length > 3 ? [`      … ${files.length - 3} more`] : []),
          ];
        };
        return [`  ${p}`, ...side(`${a} → ${b}`), ...side(`${b} → ${a}`)];
      }),
    ];
    console.info(lines.join('\n'));

    const byFile = graph(imports, (f) => f);
    const fileCycles = stronglyConnected([...byFile.edges.keys()].sort(), byFile.edges);
    const explain = fileCycles.map((c) =>
      c.flatMap((a) => c.filter((b) => byFile.edges.get(a)?.has(b)).map((b) => byFile.why.get(`${a} → ${b}`)!.join(', '))).join('\n      '),
    );
    expect(fileCycles, `Import cycles between files:\n${explain.map((e) => `  - ${e}`).join('\n')}`).toEqual([]);
  });
});
