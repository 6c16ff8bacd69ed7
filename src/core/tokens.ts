// HMAC-signed link tokens (confirm, unsubscribe, preferences, sign-in) over Web Crypto, for Node and Workers.
// A token is base64url("purpose.subject.expiry") + "." + base64url(HMAC-SHA256); subjects are opaque ids.

import { LruCache } from '../shared/lru-cache.js';

export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences' | 'signin' | 'erase';

const enc = new TextEncoder();
/** A process signs with APP_SECRET (and the odd rotated one); keys are kept per secret, a few at most. */
export const HMAC_KEYS_KEPT = 8;
const keyCache = new LruCache<string, Promise<CryptoKey>>(HMAC_KEYS_KEPT);

/** The slice of node:crypto we use; looked up at run time so this module still loads where there is none. */
interface SyncCrypto {
  createHmac(algorithm: 'sha256', key: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

// Node's synchronous HMAC costs ~4 µs; a Web Crypto call ~35 µs (a job on the thread pool and a promise),
// and every signup hashes its address on the request path. Workers without nodejs_compat keep Web Crypto;
// both give identical bytes.
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:crypto') as
  | SyncCrypto
  | undefined;

/** HMAC-SHA256 of `data` under `secret`, synchronously when the platform allows. */
export async function hmacSha256(secret: string, data: Uint8Array, impl: 'auto' | 'webcrypto' = 'auto'): Promise<Uint8Array> {
  if (nodeCrypto && impl === 'auto') return nodeCrypto.createHmac('sha256', secret).update(data).digest();
  return new Uint8Array(await crypto.subtle.sign('HMAC', await key(secret), data as BufferSource));
}

function key(secret: string): Promise<CryptoKey> {
  let k = keyCache.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keyCache.set(secret, k);
  }
  return k;
}

/** Imported HMAC keys this process holds (its tests pin that the number stays bounded). */
export function cachedHmacKeyCount(): number {
  return keyCache.size;
}

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Signs `purpose.subject.expiry`; expiresAt undefined means the token does not expire (unsubscribe links). */
export async function signToken(secret: string, purpose: TokenPurpose, subject: string, expiresAt?: Date): Promise<string> {
  if (subject.includes('.')) throw new Error('token subject must not contain "."');
  const exp = expiresAt ? Math.floor(expiresAt.getTime() / 1000) : 0;
  const payload = enc.encode(`${purpose}.${subject}.${exp}`);
  const mac = await hmacSha256(secret, payload);
  return `${b64url(payload)}.${b64url(mac)}`;
}

export type TokenCheck = { ok: true; subject: string; expiresAt: Date | null } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'wrong_purpose' };

export async function verifyToken(secret: string, purpose: TokenPurpose, token: string, now: Date): Promise<TokenCheck> {
  if (typeof token !== 'string' || token.length > 512) return { ok: false, reason: 'malformed' };
  const [p, m, extra] = token.split('.');
  if (!p || !m || extra !== undefined) return { ok: false, reason: 'malformed' };
  const payload = fromB64url(p);
  const mac = fromB64url(m);
  if (!payload || !mac) return { ok: false, reason: 'malformed' };
  const valid = nodeCrypto
    ? mac.length === 32 && nodeCrypto.timingSafeEqual(mac, await hmacSha256(secret, payload))
    : await crypto.subtle.verify('HMAC', await key(secret), mac as BufferSource, payload as BufferSource);
  if (!valid) return { ok: false, reason: 'forged' };
  const [gotPurpose, subject, expRaw] = new TextDecoder().decode(payload).split('.');
  if (gotPurpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  const exp = Number(expRaw);
  if (!subject || !Number.isFinite(exp)) return { ok: false, reason: 'malformed' };
  if (exp !== 0 && exp * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject, expiresAt: exp ? new Date(exp * 1000) : null };
}

/** SHA-256 hex, for hashed addresses, IPs and stored token ids. */
export async function sha256Hex(input: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(input))));
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Keyed hash (HMAC hex) so hashed addresses/IPs cannot be reversed by brute force without the secret. */
export async function keyedHash(secret: string, input: string): Promise<string> {
  return hex(await hmacSha256(secret, enc.encode(`hash:${input}`)));
}

export function randomToken(bytes = 32): string {
  return b64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Per-recipient links in mails; deterministic so a retried batch is byte-identical. */
export async function subscriberLinks(secret: string, publicUrl: string, publicId: string) {
  const [u, p] = await Promise.all([signToken(secret, 'unsubscribe', publicId), signToken(secret, 'preferences', publicId)]);
  return { unsubscribeUrl: `${publicUrl}/unsubscribe/${u}`, preferencesUrl: `${publicUrl}/preferences/${p}` };
}
