// Module-level caches of the sender keep a bounded number of entries: a process that sends for months must not hold
// one compiled template per issue it ever sent.
import { describe, expect, it } from 'vitest';
import { buildRecapMessages, cachedPersonalizerCount, PERSONALIZERS_KEPT, recapFrameFor } from '../../src/core/send/build-messages.js';
import type { BatchMember } from '../../src/core/send/outbox-store.js';
import { cachedHmacKeyCount, HMAC_KEYS_KEPT, hmacSha256 } from '../../src/core/tokens.js';
import type { IssueRow } from '../../src/db/schema.js';
import { PLACEHOLDERS } from '../../src/mail/placeholders.js';
import { LruCache } from '../../src/shared/lru-cache.js';

const SECRET = 'bounded-caches-test-secret-0123456789';
const frame = recapFrameFor({ mailFrom: 'Weekly AI Recap <recap@example.com>', mailReplyTo: '', publicUrl: 'http://localhost:8787' });
const member: BatchMember = {
  deliveryId: 1,
  subscriberId: 1,
  publicId: 'pub-1',
  email: 'reader1@example.com',
  name: 'Ana',
  kind: 'recap',
  payload: null,
  edition: 0,
};

/** A sent issue as the sender reads it: only the snapshot columns matter here. */
function sentIssue(n: number): IssueRow {
  return {
    id: `2026-w${String(n).padStart(3, '0')}`,
    html_snapshot: `<p>Issue ${n} for ${PLACEHOLDERS.name}</p><a href="${PLACEHOLDERS.unsubscribeUrl}">unsubscribe</a>`,
    text_snapshot: `Issue ${n} for ${PLACEHOLDERS.name}\nUnsubscribe: ${PLACEHOLDERS.unsubscribeUrl}`,
    subject_snapshot: `Weekly AI Recap #${n}`,
    default_subject: `Weekly AI Recap #${n}`,
  } as IssueRow;
}

describe('sender caches', () => {
  it('keeps at most PERSONALIZERS_KEPT compiled issues however many issues are sent', async () => {
    const issues = Array.from({ length: PERSONALIZERS_KEPT * 3 + 1 }, (_, i) => sentIssue(i + 1));
    for (const issue of issues) await buildRecapMessages(frame, SECRET, issue, [member]);
    expect(cachedPersonalizerCount()).toBe(PERSONALIZERS_KEPT);
  });

  it('an issue dropped from the cache builds the same bytes again', async () => {
    const first = sentIssue(1000);
    const before = await buildRecapMessages(frame, SECRET, first, [member]);
    for (let i = 0; i < PERSONALIZERS_KEPT + 2; i++) await buildRecapMessages(frame, SECRET, sentIssue(2000 + i), [member]);
    expect(await buildRecapMessages(frame, SECRET, first, [member])).toEqual(before);
    expect(before[0].html).toContain('Issue 1000 for Ana');
  });
});

describe('token keys', () => {
  it('keeps at most HMAC_KEYS_KEPT imported Web Crypto keys however many secrets sign', async () => {
    const data = new TextEncoder().encode('confirm.pub-1.0');
    for (let i = 0; i < HMAC_KEYS_KEPT * 3; i++) await hmacSha256(`secret-${i}-0123456789abcdef`, data, 'webcrypto');
    expect(cachedHmacKeyCount()).toBe(HMAC_KEYS_KEPT);
    // an evicted key is imported again and signs the same bytes
    const again = await hmacSha256('secret-0-0123456789abcdef', data, 'webcrypto');
    expect([...again]).toEqual([...(await hmacSha256('secret-0-0123456789abcdef', data, 'auto'))]);
  });
});

describe('LruCache', () => {
  it('drops the least recently used entry, not the oldest one written', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1).set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the young one
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([1, undefined, 3, 2]);
  });

  it('overwriting a key keeps one entry for it', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1).set('a', 2).set('b', 3);
    expect([c.get('a'), c.get('b'), c.size]).toEqual([2, 3, 2]);
  });
});
