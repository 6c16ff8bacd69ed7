// Link tokens and keyed hashes: Node's synchronous HMAC and Web Crypto must give the very same bytes, or a link
// signed by one runtime (Node) would be refused by the other (Workers) and stored hashes would stop matching.
import { describe, expect, it } from 'vitest';
import { hmacSha256, keyedHash, signToken, verifyToken } from '../src/core/tokens.js';
import { seededRandom } from './helpers/random.js';

const enc = new TextEncoder();

describe('tokens', () => {
  it('signs identically with node:crypto and Web Crypto, for random secrets and inputs', async () => {
    const rnd = seededRandom(42);
    // Any code point, including astral ones and lone surrogates (which UTF-8 encoding turns into U+FFFD).
    const text = (max: number) =>
      String.fromCodePoint(
        ...Array.from({ length: Math.floor(rnd() * max) }, () => Math.floor(rnd() * 0x10ffff)).map((c) => (c >= 0xd800 && c < 0xe000 ? 0x41 : c)),
      );
    for (let i = 0; i < 200; i++) {
      const secret = text(64) || 'x';
      const data = enc.encode(text(300));
      const [auto, web] = await Promise.all([hmacSha256(secret, data), hmacSha256(secret, data, 'webcrypto')]);
      expect(Buffer.from(auto).toString('hex')).toBe(Buffer.from(web).toString('hex'));
    }
  });

  it('verifies its own tokens, refuses forged, truncated, expired and wrong-purpose ones', async () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const t = await signToken('s3cret', 'confirm', 'abc123', new Date(now.getTime() + 60_000));
    expect(await verifyToken('s3cret', 'confirm', t, now)).toMatchObject({ ok: true, subject: 'abc123' });
    expect(await verifyToken('other', 'confirm', t, now)).toEqual({ ok: false, reason: 'forged' });
    const [p, m] = t.split('.');
    expect(await verifyToken('s3cret', 'confirm', `${p}.${m.slice(0, 20)}`, now)).toEqual({ ok: false, reason: 'forged' });
    expect(await verifyToken('s3cret', 'confirm', `${p}.`, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyToken('s3cret', 'unsubscribe', t, now)).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(await verifyToken('s3cret', 'confirm', t, new Date(now.getTime() + 120_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('keeps keyed hashes stable (stored hashes must keep matching across releases)', async () => {
    // Pinned with `printf 'hash:reader@example.com' | openssl dgst -sha256 -hmac k`.
    const pinned = 'f116422c3049f9e5200acedc47508b6be297cc603a2426ab49a2a28250e26743';
    expect(await keyedHash('k', 'reader@example.com')).toBe(pinned);
    expect(Buffer.from(await hmacSha256('k', enc.encode('hash:reader@example.com'), 'webcrypto')).toString('hex')).toBe(pinned);
  });
});
