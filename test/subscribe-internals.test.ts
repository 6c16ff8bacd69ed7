// The parts under the signup path: group commit, the cached confirmation mail, the address rules, rate limiting.
import { newPublicId } from '../src/core/subscribers/signup-plan.js';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { fixedClock } from '../src/core/deps.js';
import { buildConfirmEmail } from '../src/core/subscribers/confirm-mail.js';
import { parseSubscribableEmail } from '../src/core/subscribers/email-address.js';
import { normalizeEmail } from '../src/shared/email-normal-form.js';
import { createSignupService } from '../src/core/subscribers/signup.js';
import { createGroupCommit } from '../src/db/group-commit.js';
import { renderConfirmEmail } from '../src/mail/transactional.js';
import { clientLimitKey } from '../src/http/client-address.js';
import { createSignupLimiter } from '../src/http/signup-limiter.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';

describe('group commit', () => {
  it('puts requests that arrive together into one batch and answers each after it ran', async () => {
    const batches: number[][] = [];
    const gc = createGroupCommit<number, string>({
      run: async (batch) => {
        batches.push(batch);
        return batch.map((n) => `done ${n}`);
      },
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => gc.submit(n)));
    expect(answers).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(await gc.submit(5)).toBe('done 5');
    expect(batches).toHaveLength(2);
  });

  it('does not answer before the batch finished (no acknowledgement without the commit)', async () => {
    let release!: () => void;
    const committed = new Promise<void>((r) => (release = r));
    const gc = createGroupCommit<number, number>({ run: async (b) => (await committed, b) });
    let answered = false;
    const p = gc.submit(1).then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    release();
    await p;
    expect(answered).toBe(true);
  });

  it('isolates a failing item: only its own request fails', async () => {
    const gc = createGroupCommit<number, number>({
      run: async (batch) => {
        if (batch.includes(13)) throw new Error('unlucky');
        return batch;
      },
    });
    const results = await Promise.allSettled([11, 12, 13, 14].map((n) => gc.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('caps the batch size', async () => {
    const sizes: number[] = [];
    const gc = createGroupCommit<number, number>({ maxBatch: 10, run: async (b) => (sizes.push(b.length), b) });
    await Promise.all(Array.from({ length: 25 }, (_, i) => gc.submit(i)));
    expect(sizes).toEqual([10, 10, 5]);
  });
});

describe('signup service', () => {
  let deps: TestDeps;
  afterEach(async () => deps?.cleanup());

  it('writes a burst of signups, duplicates included, as if they came one by one', async () => {
    deps = makeDeps();
    const svc = createSignupService(deps);
    const ctx = { ip: '203.0.113.9', userAgent: 'burst' };
    const emails = Array.from({ length: 60 }, (_, i) => `b${i % 40}@example.com`); // 20 duplicates
    const outcomes = await Promise.all(emails.map((email) => svc.submit({ email, name: null, topics: undefined, formVersion: 'v' }, 'api', ctx)));
    expect(outcomes.filter((o) => o.write === 'insert')).toHaveLength(40);
    expect(outcomes.filter((o) => o.confirmationQueued)).toHaveLength(40);
    const subs = await deps.db.selectFrom('subscribers').select('id').execute();
    const consents = await deps.db.selectFrom('consents').select('id').execute();
    const mails = await deps.db.selectFrom('deliveries').select('to_email').execute();
    expect([subs.length, consents.length, mails.length]).toEqual([40, 60, 40]);
  });
});

describe('the cached confirmation mail', () => {
  const config = testConfig({ publicUrl: 'https://recap.example.com' });
  const url = 'https://recap.example.com/confirm/Y29uZmlybS5hYmMuMTc5OTk5OTk5OQ.abcDEF_-123';
  for (const name of [null, 'Ada', '  Ada   Lovelace ', '<b>&"\'</b>', '虎嗅 🧑‍💻', 'WRGREETING', 'x'.repeat(90), '\u0007bell']) {
    it(`is byte-identical to a direct render (name ${JSON.stringify(name)})`, async () => {
      expect(await buildConfirmEmail(config, url, name)).toEqual(await renderConfirmEmail({ confirmUrl: url, name, config }));
    });
  }
});

describe('address rules', () => {
  it('normalises case and surrounding space and refuses what is not an address', () => {
    expect(parseSubscribableEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(parseSubscribableEmail("o'neil+news@sub.example.co.uk")).toBe("o'neil+news@sub.example.co.uk");
    for (const bad of [
      '',
      'ada',
      'ada@',
      '@example.com',
      'a..b@example.com',
      '.a@example.com',
      'a@example',
      'a@localhost',
      'a b@example.com',
      'a@exa mple.com',
      'a\u0000@example.com',
      'a@example.com\n',
      `${'a'.repeat(65)}@example.com`,
      `a@${'b'.repeat(250)}.com`,
      'ünï@example.com',
      '"q"@example.com',
    ]) {
      expect(parseSubscribableEmail(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('gives a reader address the same normal form as an editor address (one normalizeEmail)', () => {
    for (const raw of ['  Ada@Example.COM ', ' GRACE.Hopper+News@Sub.Example.org  ', 'bob@example.com']) {
      expect(parseSubscribableEmail(raw), JSON.stringify(raw)).toBe(normalizeEmail(raw));
    }
  });
});

describe('signup limiter', () => {
  it('allows a burst of N per minute, then refills one every 60/N seconds', () => {
    const clock = fixedClock('2026-11-26T00:00:00Z');
    const rl = createSignupLimiter({ perMinute: 6, clock });
    for (let i = 0; i < 6; i++) expect(rl.take('a').ok).toBe(true);
    const no = rl.take('a');
    expect(no).toEqual({ ok: false, retryAfterSec: 10 });
    expect(rl.take('b').ok).toBe(true);
    clock.advance(10_000);
    expect(rl.take('a').ok).toBe(true);
    expect(rl.take('a').ok).toBe(false);
  });

  it('is off at 0', () => {
    const rl = createSignupLimiter({ perMinute: 0, clock: fixedClock('2026-11-26T00:00:00Z') });
    for (let i = 0; i < 1000; i++) expect(rl.take('a').ok).toBe(true);
  });

  it('keys IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    expect(clientLimitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientLimitKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientLimitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientLimitKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientLimitKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientLimitKey(null)).toBe('unknown');
  });
});

describe('newPublicId', () => {
  it('is 32 hex characters, unique, and sorts by creation time (so the unique index is appended to)', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => newPublicId(1_790_000_000_000 + Math.floor(i / 10)));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = ids.map((id) => id.slice(0, 12));
    expect([...prefixes].sort()).toEqual(prefixes);
    // The rest is random: the same millisecond gives different ids.
    expect(newPublicId(5)).not.toBe(newPublicId(5));
  });
});
