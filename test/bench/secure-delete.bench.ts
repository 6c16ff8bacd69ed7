// What PRAGMA secure_delete (issue 13: erased bytes are zeroed, not left in free pages) costs the two hot write paths:
// a signup's rows, and a send's per-batch claim and result updates, each run with it on and off in alternation.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateSqlite } from '../../src/db/sqlite/migrate.js';
import { openSqlite } from '../../src/db/sqlite/open-sqlite.js';
import type { BenchResult } from './run.js';

type Mode = 'on' | 'off';

/** CPU µs per signup: subscriber + consent + queued confirmation, 64 per transaction (the group commit's shape). */
function signupRows(path: string, mode: Mode): number {
  const { sqlite } = openSqlite(path);
  migrateSqlite(sqlite);
  sqlite.pragma(`secure_delete = ${mode === 'on' ? 'ON' : 'OFF'}`);
  const addSub = sqlite.prepare(
    `INSERT INTO subscribers (email, email_hash, public_id, status, topics, source, created_at, updated_at) VALUES (?, ?, ?, 'pending', '["models"]', 'api', ?, ?)`,
  );
  const addConsent = sqlite.prepare(`INSERT INTO consents (subscriber_id, action, source, created_at) VALUES (?, 'signup', 'api', ?)`);
  const addMail = sqlite.prepare(
    `INSERT INTO deliveries (kind, to_email, subscriber_id, payload, priority, status, created_at, updated_at) VALUES ('confirm', ?, ?, '{}', 10, 'queued', ?, ?)`,
  );
  let n = 0;
  const batch = sqlite.transaction(() => {
    const now = new Date().toISOString();
    for (let i = 0; i < 64; i++, n++) {
      const email = `sd-${mode}-${n}@example.com`;
      const id = Number(addSub.run(email, createHash('sha256').update(email).digest('hex'), `p${n}`, now, now).lastInsertRowid);
      addConsent.run(id, now);
      addMail.run(email, id, now, now);
    }
  });
  for (let i = 0; i < 50; i++) batch.immediate();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 300; i++) batch.immediate();
  const cpu = process.cpuUsage(cpu0);
  sqlite.close();
  return (cpu.user + cpu.system) / (300 * 64);
}

/** CPU µs per mail of a send's row writes: claim 100 queued rows into a batch, then mark them sent with an id. */
function sendRows(path: string, mode: Mode): number {
  const { sqlite } = openSqlite(path);
  migrateSqlite(sqlite);
  sqlite.pragma(`secure_delete = ${mode === 'on' ? 'ON' : 'OFF'}`);
  const now = new Date().toISOString();
  sqlite.exec(
    `INSERT INTO issues (id, week, slug, status, built_at, created_at, updated_at) VALUES ('i', '2026-W01', 'i', 'sending', '${now}', '${now}', '${now}')`,
  );
  const rows = 40_000;
  sqlite.exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
    INSERT INTO subscribers (email, email_hash, public_id, status, created_at, updated_at) SELECT 'r' || i || '@example.com', 'h' || i, 'p' || i, 'active', '${now}', '${now}' FROM s`);
  sqlite.exec(
    `INSERT INTO deliveries (issue_id, subscriber_id, kind, status, created_at, updated_at) SELECT 'i', id, 'recap', 'queued', '${now}', '${now}' FROM subscribers`,
  );
  const newBatch = sqlite.prepare(`INSERT INTO delivery_batches (issue_id, kind, status, idempotency_key, created_at) VALUES ('i', 'recap', 'pending', ?, ?)`);
  const claim =
    sqlite.prepare(`UPDATE deliveries SET status = 'claimed', batch_id = ?, to_email = (SELECT email FROM subscribers WHERE id = subscriber_id), updated_at = ?
    WHERE id IN (SELECT id FROM deliveries WHERE issue_id = 'i' AND status = 'queued' ORDER BY id LIMIT 100)`);
  const sent = sqlite.prepare(
    `UPDATE deliveries SET status = 'sent', resend_id = 're_' || id || '_0123456789abcdef', sent_at = ?, updated_at = ? WHERE batch_id = ?`,
  );
  const one = sqlite.transaction((k: number) => {
    const t = new Date().toISOString();
    const id = Number(newBatch.run(`key-${k}`, t).lastInsertRowid);
    claim.run(id, t);
    sent.run(t, t, id);
  });
  for (let k = 0; k < 50; k++) one.immediate(k);
  const cpu0 = process.cpuUsage();
  for (let k = 50; k < rows / 100; k++) one.immediate(k);
  const cpu = process.cpuUsage(cpu0);
  sqlite.close();
  return (cpu.user + cpu.system) / (rows - 5000);
}

export default async function benchSecureDelete(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'recap-bench-sd-'));
  const runs = { signup: { on: [] as number[], off: [] as number[] }, send: { on: [] as number[], off: [] as number[] } };
  try {
    for (let round = 0; round < 3; round++) {
      for (const mode of (round % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as Mode[]) {
        runs.signup[mode].push(signupRows(join(dir, `signup-${mode}-${round}.db`), mode));
        runs.send[mode].push(sendRows(join(dir, `send-${mode}-${round}.db`), mode));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  const row = (what: 'signup' | 'send', label: string): BenchResult[] => [
    {
      name: `secure_delete on / off, ${label}`,
      value: med(runs[what].on) / med(runs[what].off),
      unit: '×',
      note: `${med(runs[what].on).toFixed(1)} vs ${med(runs[what].off).toFixed(1)} µs CPU (medians of 3 alternating runs)`,
    },
  ];
  return [...row('signup', "a signup's three rows"), ...row('send', "a send's claim and result updates, per mail")];
}
