// src/db/schema.ts is written by hand beside migrations/*.sql: this compares the two and lists every difference.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSqlite } from '../src/db/sqlite/migrate.js';
import { tempDir } from './helpers/db.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA_TS = join(ROOT, 'src/db/schema.ts');

/** Tables the migrator keeps for itself (wrangler's ledger); compared only if schema.ts declares them. */
const BOOKKEEPING = ['d1_migrations'];

// ---------- the database side: PRAGMA table_list / table_xinfo of a freshly migrated file ----------

type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

interface SqlColumn {
  name: string;
  declared: string;
  affinity: Affinity;
  nullable: boolean;
  /** An INSERT may leave it out: it has a DEFAULT, is the rowid alias, or is generated. */
  hasDefault: boolean;
}

/** SQLite's own rules for a declared type's affinity (https://sqlite.org/datatype3.html §3.1), in its order. */
function affinityOf(declared: string): Affinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'TEXT';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(t)) return 'REAL';
  return 'NUMERIC';
}

function readSqlTables(path: string): Map<string, SqlColumn[]> {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    const tables = db.prepare('PRAGMA main.table_list').all() as { name: string; type: string }[];
    const result = new Map<string, SqlColumn[]>();
    // 'shadow' tables belong to a virtual table (FTS5 keeps its index in them); sqlite_* are SQLite's own
    for (const t of tables.filter((t) => ['table', 'view', 'virtual'].includes(t.type) && !t.name.startsWith('sqlite_'))) {
      const cols = db.prepare(`PRAGMA main.table_xinfo("${t.name.replaceAll('"', '""')}")`).all() as {
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
        hidden: number;
      }[];
      const pkCount = cols.filter((c) => c.pk > 0).length;
      result.set(
        t.name,
        cols
          .filter((c) => c.hidden !== 1) // a virtual table's hidden columns are not row data
          .map((c) => {
            const rowidAlias = c.pk > 0 && pkCount === 1 && c.type.toUpperCase() === 'INTEGER';
            return {
              name: c.name,
              declared: c.type,
              affinity: affinityOf(c.type),
              // SQLite lets a non-INTEGER PRIMARY KEY hold NULL only for backwards compatibility; no key here is ever
              // written NULL, so a key counts as NOT NULL (a `| null` on every key would only be noise)
              nullable: c.notnull === 0 && c.pk === 0,
              hasDefault: c.dflt_value !== null || rowidAlias || c.hidden === 2 || c.hidden === 3,
            };
          }),
      );
    }
    return result;
  } finally {
    db.close();
  }
}

// ---------- the TypeScript side: the Database interface, read with the compiler's type checker ----------

type Kind = 'null' | 'undefined' | 'string' | 'number' | 'bigint' | 'boolean' | 'bytes' | 'date' | 'any' | 'other';

interface TsColumn {
  name: string;
  /** As written in schema.ts, e.g. `string | null`, `Generated<number>`, `ColumnType<…>`. */
  text: string;
  /** What a SELECT returns (Kysely's `__select__` of a ColumnType, else the type itself), by kind. */
  select: Set<Kind>;
  /** An INSERT may leave it out (Generated, or a ColumnType whose insert type takes undefined). */
  optionalOnInsert: boolean;
}

function kindsOf(type: ts.Type, checker: ts.TypeChecker): Set<Kind> {
  const kinds = new Set<Kind>();
  for (const t of type.isUnion() ? type.types : [type]) {
    const f = t.flags;
    if (f & ts.TypeFlags.Null) kinds.add('null');
    else if (f & ts.TypeFlags.Undefined) kinds.add('undefined');
    else if (f & ts.TypeFlags.StringLike) kinds.add('string');
    else if (f & ts.TypeFlags.NumberLike) kinds.add('number');
    else if (f & ts.TypeFlags.BigIntLike) kinds.add('bigint');
    else if (f & ts.TypeFlags.BooleanLike) kinds.add('boolean');
    else if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) kinds.add('any');
    else {
      const name = checker.typeToString(t);
      if (/^(Buffer|Uint8Array|ArrayBuffer)\b/.test(name)) kinds.add('bytes');
      else if (name === 'Date') kinds.add('date');
      else kinds.add('other');
    }
  }
  return kinds;
}

function readTsTables(): Map<string, TsColumn[]> {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  // strictNullChecks is what keeps `| null` in the types the checker hands back
  const program = ts.createProgram([SCHEMA_TS], { ...options, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(SCHEMA_TS)!;
  const database = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Database');
  if (!database) throw new Error('src/db/schema.ts declares no `interface Database`');

  const tables = new Map<string, TsColumn[]>();
  for (const table of checker.getPropertiesOfType(checker.getTypeAtLocation(database))) {
    const tableType = checker.getTypeOfSymbolAtLocation(table, database);
    tables.set(
      table.name,
      checker.getPropertiesOfType(tableType).map((col) => {
        const type = checker.getTypeOfSymbolAtLocation(col, database);
        const decl = col.valueDeclaration;
        const text = decl && ts.isPropertySignature(decl) && decl.type ? decl.type.getText() : checker.typeToString(type);
        // Kysely's ColumnType<S, I, U> (and Generated<T>, which is one) is `{ __select__: S; __insert__: I; … }`
        const selectSym = type.isUnion() ? undefined : type.getProperty('__select__');
        const insertSym = type.isUnion() ? undefined : type.getProperty('__insert__');
        const select = selectSym ? checker.getTypeOfSymbolAtLocation(selectSym, database) : type;
        const insert = insertSym ? checker.getTypeOfSymbolAtLocation(insertSym, database) : undefined;
        return {
          name: col.name,
          text,
          select: kindsOf(select, checker),
          optionalOnInsert: insert ? kindsOf(insert, checker).has('undefined') : false,
        };
      }),
    );
  }
  return tables;
}

// ---------- the comparison ----------

/** What each affinity may be read as in TypeScript. better-sqlite3 and D1 both return INTEGER as a number (0/1 for
 * flags, so `0 | 1` is fine but `boolean` would be a lie), TEXT as a string (string-literal unions included). */
const ALLOWED: Record<Affinity, Kind[]> = {
  INTEGER: ['number', 'bigint'],
  REAL: ['number'],
  TEXT: ['string'],
  BLOB: ['bytes'],
  NUMERIC: ['number', 'bigint', 'string'],
};

let sql: Map<string, SqlColumn[]>;
let types: Map<string, TsColumn[]>;
let dir: string;

beforeAll(() => {
  dir = tempDir('recap-schema-');
  const path = join(dir, 'schema.db');
  const db = new BetterSqlite3(path);
  migrateSqlite(db);
  db.close();
  types = readTsTables();
  sql = readSqlTables(path);
  for (const name of BOOKKEEPING) if (!types.has(name)) sql.delete(name);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pairs of (table, SQL column, TS column) present on both sides. */
function pairs() {
  const out: { table: string; col: SqlColumn; ts: TsColumn }[] = [];
  for (const [table, cols] of sql) {
    const tsCols = types.get(table);
    if (!tsCols) continue;
    for (const col of cols) {
      const t = tsCols.find((c) => c.name === col.name);
      if (t) out.push({ table, col, ts: t });
    }
  }
  return out;
}

function report(title: string, differences: string[]): string {
  return `${title} (${differences.length}), fix src/db/schema.ts (or the migration):\n${differences.map((d) => `  - ${d}`).join('\n')}`;
}

const kinds = (k: Set<Kind>) => [...k].join(' | ');

describe('src/db/schema.ts against the migrated database', () => {
  it('reads something on both sides (the comparison below is not vacuous)', () => {
    expect(sql.size).toBeGreaterThan(10);
    expect(types.size).toBeGreaterThan(10);
    expect(sql.get('subscribers')?.length).toBeGreaterThan(5);
  });

  it('declares exactly the tables the migrations create', () => {
    const differences = [
      ...[...sql.keys()].filter((t) => !types.has(t)).map((t) => `table ${t} is in the database but not in \`interface Database\``),
      ...[...types.keys()].filter((t) => !sql.has(t)).map((t) => `\`Database.${t}\` has no table in the migrated database`),
    ];
    expect(differences, report('Tables differ', differences)).toEqual([]);
  });

  it('declares exactly the columns of each table, both ways', () => {
    const differences: string[] = [];
    for (const [table, cols] of sql) {
      const tsCols = types.get(table);
      if (!tsCols) continue;
      for (const c of cols)
        if (!tsCols.some((t) => t.name === c.name)) differences.push(`${table}.${c.name} (${c.declared || 'no type'}) is missing from schema.ts`);
      for (const t of tsCols) if (!cols.some((c) => c.name === t.name)) differences.push(`${table}.${t.name}: ${t.text} is in schema.ts but not in the table`);
    }
    expect(differences, report('Columns differ', differences)).toEqual([]);
  });

  it('agrees on nullability: a nullable column includes null, a NOT NULL one does not', () => {
    const differences: string[] = [];
    for (const { table, col, ts: t } of pairs()) {
      const tsNullable = t.select.has('null');
      if (col.nullable && !tsNullable) differences.push(`${table}.${col.name} is nullable in SQL but typed \`${t.text}\` (add \`| null\`)`);
      if (!col.nullable && tsNullable) differences.push(`${table}.${col.name} is NOT NULL in SQL but typed \`${t.text}\` (drop \`| null\`)`);
      if (t.select.has('undefined')) differences.push(`${table}.${col.name}: a SELECT never returns undefined, but it is typed \`${t.text}\``);
    }
    expect(differences, report('Nullability differs', differences)).toEqual([]);
  });

  it('lets an INSERT leave out only columns the database can fill (DEFAULT, rowid or generated)', () => {
    const differences = pairs()
      .filter(({ col, ts: t }) => t.optionalOnInsert && !col.nullable && !col.hasDefault)
      .map(({ table, col, ts: t }) => `${table}.${col.name} is NOT NULL without a DEFAULT, but \`${t.text}\` makes it optional on insert`);
    expect(differences, report('Insert types promise defaults the database does not have', differences)).toEqual([]);
  });

  it('reads each column as the kind of value its SQLite affinity stores', () => {
    const differences: string[] = [];
    for (const { table, col, ts: t } of pairs()) {
      const allowed = ALLOWED[col.affinity];
      // TEXT affinity keeps a BLOB as a BLOB (datatype3 §3): a column that holds text or, when large, gzip bytes
      // (delivery_batches.body) may say `string | Uint8Array`; bytes alone in a TEXT column would be a mistake
      const mixedTextAndBytes = (k: Kind) => k === 'bytes' && col.affinity === 'TEXT' && t.select.has('string');
      const wrong = [...t.select].filter((k) => k !== 'null' && k !== 'undefined' && !allowed.includes(k) && !mixedTextAndBytes(k));
      if (wrong.length > 0) {
        const why = wrong.includes('boolean') ? ' (SQLite returns 0/1 numbers, not booleans)' : '';
        differences.push(
          `${table}.${col.name} is ${col.declared || 'untyped'} (${col.affinity} affinity: ${allowed.join(' or ')}) but typed \`${t.text}\` (${kinds(t.select)})${why}`,
        );
      }
    }
    expect(differences, report('Types differ from the SQL affinity', differences)).toEqual([]);
  });
});
