// Multi-row INSERTs as one statement with one bound parameter: the rows travel as a JSON array and SQLite
// unpacks them (json_each). Kysely's multi-row VALUES builds an operation node and a bound parameter per cell,
// which for a 64-signup batch was ~1,500 parameters and more CPU than SQLite's own work; here the SQL text
// depends only on the table and columns, so its prepared statement is reused (src/db/sqlite/open-sqlite.ts), and on D1
// (at most 100 bound parameters) a batch is one round trip instead of one per 10 rows.
import { CompiledQuery, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.js';

type Cell = string | number | boolean | null;

/** Rows (or list items) per statement: keeps each JSON parameter far below D1's 2 MB per value. */
export const JSON_ROWS_CHUNK = 500;

const statements = new Map<string, string>();

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function insertSql(table: string, columns: readonly string[], returning: readonly string[]): string {
  const key = `${table}\n${columns.join(',')}\n${returning.join(',')}`;
  let text = statements.get(key);
  if (!text) {
    // `->>` hands back SQL values (text, integer, real, NULL) as a bound parameter would, so column affinity
    // applies as usual. json_each walks the array in order: rows get ascending ids in the order given.
    text =
      `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) ` +
      `SELECT ${columns.map((_, i) => `j.value ->> ${i}`).join(', ')} FROM json_each(?) AS j` +
      (returning.length ? ` RETURNING ${returning.map(quoteIdent).join(', ')}` : '');
    statements.set(key, text);
  }
  return text;
}

/**
 * Inserts `rows` (all with the same columns: a missing column would be NULL here, not its default, so it is
 * refused) in statements of JSON_ROWS_CHUNK rows, and returns the `returning` columns of the new rows, in no
 * particular order (SQLite's RETURNING). Every row is checked before the first statement runs.
 */
export async function insertJsonRows<T extends keyof Database & string, R extends keyof Selectable<Database[T]> & string = never>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  returning: readonly R[] = [],
): Promise<Pick<Selectable<Database[T]>, R>[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) => {
    const r = row as Record<string, unknown>;
    if (Object.keys(r).length !== columns.length) throw new TypeError(`insert into ${table}: every row needs the columns ${columns.join(', ')}`);
    return columns.map((c) => {
      const v = r[c];
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v as Cell;
      throw new TypeError(`insert into ${table}: column ${c} is ${v === undefined ? 'missing' : `a ${typeof v}`}`);
    });
  });
  const text = insertSql(table, columns, returning);
  const out: Pick<Selectable<Database[T]>, R>[] = [];
  for (let i = 0; i < cells.length; i += JSON_ROWS_CHUNK) {
    const result = await db.executeQuery<Pick<Selectable<Database[T]>, R>>(CompiledQuery.raw(text, [JSON.stringify(cells.slice(i, i + JSON_ROWS_CHUNK))]));
    out.push(...result.rows);
  }
  return out;
}
