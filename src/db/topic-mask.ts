// The SQL twin of topicMask()/editionOf() (src/shared/topics.ts): a stored topics JSON list to its edition number.
import { sql, type RawBuilder } from 'kysely';
import { ALL_TOPICS_MASK, TOPICS } from '../shared/topics.js';

/**
 * `instr` on the JSON text rather than json_each: eight substring tests on a short string cost far less per row than
 * a table-valued function, and an audience snapshot runs this once per reader. Topic names are quoted in the JSON, so
 * '"tools"' cannot match inside another name. The topic names are our own constants, never user input.
 */
export function editionSql(column: string): RawBuilder<number> {
  const terms = TOPICS.map((t, i) => `(instr(${column}, '"${t}"') > 0) * ${1 << i}`).join(' + ');
  // mask % ALL_TOPICS_MASK: every topic ticked (the full mask) is the default edition, 0; every other mask is below it.
  return sql<number>`((${sql.raw(terms)}) % ${sql.lit(ALL_TOPICS_MASK)})`;
}
