// The baseline: the minimal sender. Builds every batch body of the issue once from the same database (before any
// timing), proves they are byte-identical to what the SDK would send, then on each {run} command POSTs them with bare
// fetch and a fresh Idempotency-Key per request, `concurrency` at a time (the first `limit` only, if given), and answers
// one JSON line.
// Env: DATABASE_PATH, APP_SECRET, RESEND_API_KEY, FAKE_URL (target), SINK_URL (byte check), POST_CONCURRENCY, ISSUE_ID.
import { createHash } from 'node:crypto';
import type { BatchMember } from '../../../src/db/repos/outbox.js';
import { getIssue } from '../../../src/db/repos/issues.js';
import { buildRecapMessages, recapFrameFor } from '../../../src/core/send/build-messages.js';
import { BATCH_SIZE } from '../../../src/core/send/run-outbox.js';
import { createNodeRuntime } from '../../../src/entry/node/runtime.js';
import { createConsoleLogger } from '../../../src/log.js';
import { createResendMailer } from '../../../src/mail/resend-mailer.js';
import { serializeBatchLikeSdk } from './batch-body.js';
import { controlRequest, readCommands } from './children.js';
import type { SinkStats } from './lean-sink.js';

export interface PosterReady {
  batches: number;
  emails: number;
  bodyBytes: number;
  /** Batches whose body hash equals the SDK's body for the same messages (must be all). */
  identical: number;
  buildMs: number;
}

export interface PosterRun {
  ms: number;
  requests: number;
  emails: number;
  failed: number;
  /** CPU time (user + system) this process spent in the timed region. */
  cpuMs: number;
}

const env = process.env as Record<string, string>;
const rt = await createNodeRuntime(env, { log: createConsoleLogger({ level: 'warn' }) });
const bodies: string[] = [];
let emails = 0;
let identical = 0;
const t0 = performance.now();
try {
  const issue = await getIssue(rt.deps.db, env.ISSUE_ID);
  if (!issue?.html_snapshot) throw new Error(`issue ${env.ISSUE_ID} is not prepared`);
  // The rows the outbox will claim, in claim order (ORDER BY id, 100 at a time), with what claim time freezes.
  const rows = rt.sqlite.sqlite
    .prepare(
      `SELECT d.id AS deliveryId, d.subscriber_id AS subscriberId, s.public_id AS publicId, s.email, s.name, d.kind, d.payload
       FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.issue_id = ? AND d.kind = 'recap' AND d.status = 'queued' ORDER BY d.id`,
    )
    .all(issue.id) as BatchMember[];
  const sdk = createResendMailer({ apiKey: env.RESEND_API_KEY, timeoutMs: 30_000, baseUrl: env.SINK_URL });
  await controlRequest(`${env.SINK_URL}/__sink/record`, 'POST');
  const expected: string[] = [];
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    const messages = await buildRecapMessages(recapFrameFor(rt.config), rt.config.appSecret, issue, rows.slice(i, i + BATCH_SIZE));
    const body = serializeBatchLikeSdk(messages);
    bodies.push(body);
    emails += messages.length;
    expected.push(createHash('sha256').update(body).digest('hex'));
    const res = await sdk.sendBatch(messages, { idempotencyKey: `verify-${expected.length - 1}` });
    if (!res.ok) throw new Error(`byte check: the sink refused batch ${expected.length - 1}: ${res.message}`);
  }
  const stats = await controlRequest<SinkStats>(`${env.SINK_URL}/__sink/stats`);
  identical = expected.filter((h, i) => stats.hashes[`verify-${i}`] === h).length;
} finally {
  await rt.close();
}
const ready: PosterReady = {
  batches: bodies.length,
  emails,
  bodyBytes: bodies.reduce((s, b) => s + Buffer.byteLength(b), 0),
  identical,
  buildMs: performance.now() - t0,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

const headers = (key: string) => ({
  authorization: `Bearer ${env.RESEND_API_KEY}`,
  'content-type': 'application/json',
  'x-batch-validation': 'permissive',
  'idempotency-key': key,
});

let round = 0;
for await (const cmd of readCommands<{ run: true; limit?: number }>()) {
  round += 1;
  const count = Math.min(bodies.length, cmd.limit ?? bodies.length);
  const prefix = `baseline-${process.pid}-${round}`;
  let next = 0;
  let sent = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${env.FAKE_URL}/emails/batch`, { method: 'POST', headers: headers(`${prefix}-${i}`), body: bodies[i] });
      const data = (await res.json()) as { data?: unknown[] };
      if (res.ok && Array.isArray(data.data)) sent += data.data.length;
      else failed += 1;
    }
  };
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: Number(env.POST_CONCURRENCY || 1) }, worker));
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const run: PosterRun = { ms, requests: count, emails: sent, failed, cpuMs: (cpu.user + cpu.system) / 1000 };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}
