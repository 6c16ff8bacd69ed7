// Control routes under /__fake/ so tests in another process (crash tests) can read state and inject faults over HTTP.
import type { ServerResponse } from 'node:http';
import type { Fault, FaultRate } from './faults.js';
import type { FakeResend } from './server.js';

interface ConfigBody {
  ratePerSecond?: number | false;
  dailyQuota?: number | null;
  monthlyQuota?: number | null;
  rejectRecipients?: string[];
  verifiedDomains?: string[] | null;
}

export function handleAdminRequest(fake: FakeResend, method: string, path: string, raw: string, res: ServerResponse) {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  let body: Record<string, unknown> = {};
  try {
    body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    return reply(400, { error: 'invalid JSON' });
  }

  if (method === 'GET' && path === '/__fake/state') {
    return reply(200, {
      emails: fake.state.emails,
      requests: fake.state.requests,
      countByRecipient: Object.fromEntries(fake.state.countByRecipient()),
      inFlight: fake.inFlight(),
    });
  }
  if (method === 'POST' && path === '/__fake/faults') {
    if (Array.isArray(body.faults)) fake.setFaults(...(body.faults as Fault[]));
    if ('rate' in body) fake.setFaultRate((body.rate as FaultRate | null) ?? null);
    return reply(200, { ok: true });
  }
  if (method === 'POST' && path === '/__fake/config') {
    const c = body as ConfigBody;
    if (c.ratePerSecond !== undefined) fake.setRateLimit(c.ratePerSecond);
    if ('dailyQuota' in c || 'monthlyQuota' in c) {
      fake.setQuota({ daily: c.dailyQuota ?? undefined, monthly: c.monthlyQuota ?? undefined });
    }
    if (c.rejectRecipients) fake.setRejectedRecipients(c.rejectRecipients);
    if ('verifiedDomains' in c) fake.setVerifiedDomains(c.verifiedDomains ?? null);
    return reply(200, { ok: true });
  }
  if (method === 'POST' && path === '/__fake/reset') {
    fake.reset();
    return reply(200, { ok: true });
  }
  reply(404, { error: `no fake control route ${method} ${path}` });
}
