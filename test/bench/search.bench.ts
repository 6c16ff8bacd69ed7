// The editor's subscriber search at a million readers (issue 18): the LIKE '%…%' scan it used to run (the baseline,
// same SQL text as before migration 0010) against searchSubscribers (unique index for a whole address, the FTS5
// trigram index for substrings), in the same run on the same file; plus what the trigram index costs a signup's
// insert and the file. BENCH_SEARCH_READERS (default 1,000,000).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { searchSubscribers } from '../../src/db/repos/editor-subscribers.js';
import type { Database } from '../../src/db/schema.js';
import { migrateSqlite } from '../../src/db/sqlite/migrate.js';
import { openSqlite } from '../../src/db/sqlite/open-sqlite.js';
import type { BenchResult } from './run.js';

const int = (name: string, d: number) => (process.env[name] ? Number(process.env[name]) : d);
const FIRST = ['anna', 'ben', 'chloe', 'david', 'emma', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kofi', 'lena', 'marco', 'nora', 'omar', 'priya'];
const LAST = ['smith', 'garcia', 'müller', 'rossi', 'tanaka', 'okafor', 'dubois', 'novak', 'silva', 'kowalski', 'nguyen', 'larsen'];
const DOMAINS = ['gmail.com', 'outlook.com', 'proton.me', 'example.org', 'uni-heidelberg.de', 'company.io', 'yahoo.co.jp'];

function seed(sqlite: ReturnType<typeof openSqlite>['sqlite'], n: number) {
  const ins = sqlite.prepare(
    `INSERT INTO subscribers (email, email_hash, name, status, topics, created_at, updated_at, confirmed_at) VALUES (?, ?, ?, ?, '[]', ?, ?, ?)`,
  );
  const now = '2026-11-01T00:00:00.000Z';
  for (let start = 0; start < n; start += 50_000) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(n, start + 50_000); i++) {
        const f = FIRST[i % FIRST.length];
        const l = LAST[(i >> 4) % LAST.length];
        const email = `${f}.${l}${i}@${DOMAINS[i % DOMAINS.length]}`;
        const name = i % 3 === 0 ? `${f[0].toUpperCase()}${f.slice(1)} ${l[0].toUpperCase()}${l.slice(1)}` : null;
        const status = i % 10 === 0 ? 'unsubscribed' : i % 37 === 0 ? 'bounced' : 'active';
        ins.run(email, createHash('sha256').update(email).digest('hex').slice(0, 32), name, status, now, now, now);
      }
    })();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** CPU µs per inserted subscriber row, 64 per transaction (the signup group commit's shape), FTS triggers on or off. */
function insertCost(dir: string, withIndex: boolean): number {
  const { sqlite } = openSqlite(join(dir, `insert-${withIndex ? 'fts' : 'plain'}.db`));
  migrateSqlite(sqlite);
  if (!withIndex) sqlite.exec('DROP TRIGGER subscribers_search_insert; DROP TRIGGER subscribers_search_update; DROP TRIGGER subscribers_search_delete');
  const ins = sqlite.prepare(`INSERT INTO subscribers (email, email_hash, status, topics, created_at, updated_at) VALUES (?, ?, 'pending', '[]', ?, ?)`);
  let n = 0;
  const batch = sqlite.transaction(() => {
    const now = new Date().toISOString();
    for (let i = 0; i < 64; i++, n++) ins.run(`new.reader.${n}@example.com`, `h${n}`, now, now);
  });
  for (let i = 0; i < 50; i++) batch.immediate();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 400; i++) batch.immediate();
  const cpu = process.cpuUsage(cpu0);
  sqlite.close();
  return (cpu.user + cpu.system) / (400 * 64);
}

export default async function bench(): Promise<BenchResult[]> {
  const readers = int('BENCH_SEARCH_READERS', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'recap-search-bench-'));
  const results: BenchResult[] = [];
  try {
    const handle = openSqlite(join(dir, 'search.db'));
    migrateSqlite(handle.sqlite);
    const t0 = performance.now();
    seed(handle.sqlite, readers);
    handle.sqlite.exec('ANALYZE');
    console.log(`  seeded ${readers} readers in ${((performance.now() - t0) / 1000).toFixed(1)} s (triggers filling the trigram index)`);
    const pages = (like: string) => (handle.sqlite.prepare(`SELECT sum(pgsize) AS b FROM dbstat WHERE name LIKE ?`).get(like) as { b: number | null }).b ?? 0;
    const ftsBytes = pages('subscribers_search%');
    const tableBytes = pages('subscribers') + pages('sqlite_autoindex_subscribers%') + pages('subscribers_%') - ftsBytes;

    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle.sqlite }) });
    const mid = Math.floor(readers / 2);
    const midEmail = `${FIRST[mid % FIRST.length]}.${LAST[(mid >> 4) % LAST.length]}${mid}@${DOMAINS[mid % DOMAINS.length]}`;
    const cases: { name: string; q: string }[] = [
      { name: 'a whole address', q: midEmail.toUpperCase() },
      { name: 'a rare substring (part of one address)', q: `${mid}@` },
      { name: 'a common substring (gmail)', q: 'gmail' },
      { name: 'a name', q: 'Priya Novak' },
      { name: 'text nobody has', q: 'zqxv' },
    ];
    // the statement searchSubscribers ran before migration 0010, the same text and parameters
    const old = handle.sqlite.prepare(`SELECT * FROM subscribers WHERE (email LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\') ORDER BY id DESC LIMIT ?`);
    for (const c of cases) {
      const like = `%${c.q
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      const before: number[] = [];
      const after: number[] = [];
      let oldRows = 0;
      let newRows = 0;
      for (let i = 0; i < 7; i++) {
        // alternate, so both see the same cache and machine load
        let t = performance.now();
        oldRows = old.all(like, like, 51).length;
        before.push(performance.now() - t);
        t = performance.now();
        newRows = (await searchSubscribers(db, { q: c.q, limit: 51 })).length;
        after.push(performance.now() - t);
      }
      const b = median(before);
      const a = median(after);
      results.push({
        name: `search, ${c.name}: searchSubscribers ÷ the old LIKE scan (${readers.toLocaleString('en')} readers, median of 7)`,
        value: a / b,
        unit: '×',
        note: `${a.toFixed(2)} vs ${b.toFixed(2)} ms; ${newRows} vs ${oldRows} rows`,
      });
    }
    await db.destroy();
    results.push({
      name: `search: trigram index size (${readers.toLocaleString('en')} readers)`,
      value: ftsBytes / 1e6,
      unit: 'MB',
      note: `the subscribers table and its indexes: ${(tableBytes / 1e6).toFixed(0)} MB`,
    });

    const plain: number[] = [];
    const fts: number[] = [];
    for (let round = 0; round < 3; round++) {
      plain.push(insertCost(dir, false));
      fts.push(insertCost(dir, true));
      rmSync(join(dir, 'insert-plain.db'), { force: true });
      rmSync(join(dir, 'insert-fts.db'), { force: true });
    }
    results.push({
      name: 'search: a subscriber insert with the trigram triggers ÷ without (CPU, 64 per transaction, median of 3)',
      value: median(fts) / median(plain),
      unit: '×',
      note: `${median(fts).toFixed(1)} vs ${median(plain).toFixed(1)} µs per row`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
