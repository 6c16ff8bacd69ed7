// The real fake Resend in its own process, plus a lean control port: the fake's /__fake/state answers with every
// email body (hundreds of MB after a 10k or 45k send), so the benchmarks read this summary instead.
// Env: FAKE_RATE ("off" or requests per second). Prints one JSON line: {"url", "control"}.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeResend } from '../../fake-resend/server.js';

export interface FakeSummary {
  emails: number;
  recipients: number;
  duplicates: number;
  requests: { at: number; status: number | null; outcome: string; accepted: number; errorName?: string }[];
}

const rate = process.env.FAKE_RATE === 'off' ? false : Number(process.env.FAKE_RATE ?? 5);
const fake = await startFakeResend({ ratePerSecond: rate });

const control = createServer((req, res) => {
  const reply = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && req.url === '/summary') {
    const counts = fake.state.countByRecipient();
    let duplicates = 0;
    for (const n of counts.values()) if (n > 1) duplicates += n - 1;
    const summary: FakeSummary = {
      emails: fake.state.emails.length,
      recipients: counts.size,
      duplicates,
      requests: fake.state.requests.map((r) => ({
        at: r.at,
        status: r.status,
        outcome: r.outcome,
        accepted: r.accepted,
        ...(r.errorName ? { errorName: r.errorName } : {}),
      })),
    };
    return reply(summary);
  }
  if (req.method === 'POST' && req.url === '/reset') {
    fake.reset();
    return reply({ ok: true });
  }
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ url: fake.url, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}` })}\n`);

const stop = () => {
  control.close();
  void fake.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume(); // the bench (our parent) is gone or done
