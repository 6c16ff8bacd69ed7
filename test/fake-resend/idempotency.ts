// Resend's idempotency contract: same key + same payload replays, another payload or an unfinished first request is a 409.
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

export interface StoredResponse {
  status: number;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse;
  storedAt: number;
}

export type IdempotencyLookup = { kind: 'new' } | { kind: 'replay'; response: StoredResponse } | { kind: 'different_payload' } | { kind: 'in_flight' };

/** Resend accepts keys of 1-256 characters. */
export function isValidIdempotencyKey(key: string): boolean {
  return key.length >= 1 && key.length <= MAX_IDEMPOTENCY_KEY_LENGTH;
}

/**
 * A payload's identity: endpoint plus the JSON value with keys sorted, so the same emails serialised in another
 * key order still count as the same request (we compare meaning, not bytes).
 */
export function fingerprintRequest(path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Keys are scoped per API key (a team), kept `ttlMs`; only successful answers are kept, so errors can be retried. */
export function createIdempotencyStore(now: () => number, ttlMs = IDEMPOTENCY_TTL_MS) {
  const entries = new Map<string, Entry>();
  const id = (scope: string, key: string) => `${scope}\u0000${key}`;

  function lookup(scope: string, key: string, fingerprint: string): IdempotencyLookup {
    const entry = entries.get(id(scope, key));
    if (!entry) return { kind: 'new' };
    if (entry.response && now() - entry.storedAt > ttlMs) {
      entries.delete(id(scope, key));
      return { kind: 'new' };
    }
    if (!entry.response) return { kind: 'in_flight' };
    if (entry.fingerprint !== fingerprint) return { kind: 'different_payload' };
    return { kind: 'replay', response: entry.response };
  }

  return {
    lookup,
    begin(scope: string, key: string, fingerprint: string): void {
      entries.set(id(scope, key), { fingerprint, storedAt: now() });
    },
    finish(scope: string, key: string, response: StoredResponse): void {
      const entry = entries.get(id(scope, key));
      if (!entry) return;
      if (response.status >= 200 && response.status < 300) {
        entry.response = response;
        entry.storedAt = now();
      } else {
        entries.delete(id(scope, key));
      }
    },
    size: () => entries.size,
    clear: () => entries.clear(),
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
