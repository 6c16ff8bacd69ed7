// A loopback stand-in for Resend's POST /emails/batch that keeps only counters (the fake keeps every body), so a
// sender's memory can be measured over 1M mails. Answers like Resend: {data:[{id}...]} plus errors:[] when permissive.
// GET /__sink/stats, POST /__sink/reset, POST /__sink/record (remember sha256 of each body by Idempotency-Key).
// Prints one JSON line: {"url"}.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkStats {
  requests: number;
  emails: number;
  recipients: number;
  duplicates: number;
  bad: number;
  hashes: Record<string, string>;
}

let stats: SinkStats = fresh();
let recording = false;
const seen = new Set<string>();
let nextId = 0;

function fresh(): SinkStats {
  return { requests: 0, emails: 0, recipients: 0, duplicates: 0, bad: 0, hashes: {} };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/__sink/stats') return reply(200, { ...stats, recipients: seen.size });
    if (req.url === '/__sink/reset') {
      stats = fresh();
      seen.clear();
      return reply(200, { ok: true });
    }
    if (req.url === '/__sink/record') return reply(200, { ok: (recording = true) });
    if (req.method !== 'POST' || req.url !== '/emails/batch') return reply(404, { statusCode: 404, name: 'not_found', message: 'not found' });
    stats.requests += 1;
    const raw = Buffer.concat(chunks).toString('utf8');
    let emails: { to?: string[] }[];
    try {
      emails = JSON.parse(raw) as { to?: string[] }[];
      if (!Array.isArray(emails)) throw new Error('not an array');
    } catch {
      stats.bad += 1;
      return reply(422, { statusCode: 422, name: 'validation_error', message: 'The request body must be an array of emails.' });
    }
    const key = req.headers['idempotency-key'];
    if (recording && typeof key === 'string') stats.hashes[key] = createHash('sha256').update(raw).digest('hex');
    for (const e of emails) {
      for (const to of e.to ?? []) {
        if (seen.has(to)) stats.duplicates += 1;
        else seen.add(to);
      }
    }
    stats.emails += emails.length;
    const data = emails.map(() => ({ id: `sink-${(nextId++).toString(36)}` }));
    reply(200, req.headers['x-batch-validation'] === 'permissive' ? { data, errors: [] } : { data });
  });
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume(); // the bench (our parent) is gone or done
