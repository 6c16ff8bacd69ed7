// What reaches a log line from text we do not control: error stacks and provider answers lose tokens and addresses,
// and an unhandled error is logged with its route pattern, not the path that carried a token.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/core/redact.js';
import { toErrorResponse } from '../src/http/errors.js';
import { createConsoleLogger, createMemoryLogger } from '../src/log.js';

const TOKEN = 'cHJlZmVyZW5jZXMuMDFhMjNkZDFmN2FiNDUzZDgzNDA4NTc3MDA0MmVkOWUuMA.k5E5Z3uw7X0p_xQSqWv_jPsXBtpOdIZZ69GNf5wEiE8';
const SIGNIN = 'IMRlftHS4SKcE918YucYDIuqGSFd0-eCAe1K-V_Fg_I';

describe('redactSecrets', () => {
  it('removes personal-link tokens, sign-in tokens, bearer tokens and signed tokens, and masks addresses', () => {
    const text = [
      `GET https://recap.example.com/preferences/${TOKEN}/export failed`,
      `/unsubscribe/forged-but-still-secret?x=1`,
      `https://recap.example.com/editor/signin/verify?token=${SIGNIN}&next=%2Feditor`,
      `Authorization: Bearer abcdefghijklmnopqrstuvwxyz`,
      `token alone: ${TOKEN}`,
      `You can only send testing emails to your own email address (Owner.Name+x@Example.org).`,
      `encoded: reader%40example.org`,
    ].join('\n');
    const out = redactSecrets(text);
    for (const secret of [TOKEN, SIGNIN, 'forged-but-still-secret', 'abcdefghijklmnopqrstuvwxyz', 'Owner.Name+x@Example.org', 'reader%40example.org']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('/preferences/[redacted]/export');
    expect(out).toContain('O***@Example.org');
    expect(out).toContain('next=%2Feditor');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Batch 0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b held: GET /preferences/:token 200 3ms at src/core/send/run-outbox.ts:99:5';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('console logger', () => {
  const original = console.log;
  afterEach(() => {
    console.log = original;
  });

  it('scrubs every field (stacks, provider answers) in both formats', () => {
    for (const json of [true, false]) {
      const lines: string[] = [];
      console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
      const log = createConsoleLogger({ json, level: 'debug' });
      log.info('Provider answered', { provider: 'Invalid `to` field: reader@example.org', nested: { stack: [`at /confirm/${TOKEN}`] } });
      log.debug('debug too', { url: `https://x.example/editor/signin/verify?token=${SIGNIN}` });
      console.log = original;
      const all = lines.join('\n');
      expect(all).not.toContain('reader@example.org');
      expect(all).not.toContain(TOKEN);
      expect(all).not.toContain(SIGNIN);
      expect(all).toContain('r***@example.org');
      expect(all).toContain('Provider answered');
    }
  });
});

describe('unhandled errors', () => {
  it('are logged with the route pattern, never the path and its token', async () => {
    const log = createMemoryLogger();
    const app = new Hono();
    app.post('/preferences/:token/export', () => {
      throw new Error(`could not export for reader@example.org via /preferences/${TOKEN}`);
    });
    app.onError((err, c) => toErrorResponse(err, c, log));
    const res = await app.request(`/preferences/${TOKEN}/export`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0].fields?.route).toBe('POST /preferences/:token/export');
    // The memory logger keeps fields as given; the console logger (above) is what scrubs the stack.
    expect(JSON.stringify(log.lines[0].fields?.route)).not.toContain(TOKEN);
    expect(JSON.stringify(log.lines[0])).not.toMatch(new RegExp(`"path":"[^"]*${TOKEN.slice(0, 20)}`));
  });
});
