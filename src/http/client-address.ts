// The client's address, by one rule for every caller (signup and sign-in limits, consent records), on both runtimes.
import type { Context } from 'hono';

interface NodeSocketHolder {
  socket?: { remoteAddress?: string };
}

/**
 * Behind a proxy (`TRUST_PROXY`) it is the last `X-Forwarded-For` hop, the one our own proxy appended: earlier
 * hops are whatever the client wrote, so taking the first would let a client pick a fresh address per request.
 * Otherwise the socket's peer on Node (@hono/node-server puts the request in `env`), or Cloudflare's
 * `CF-Connecting-IP` on Workers, where there is no socket. Null when none of these says.
 */
export function clientAddress(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const last = hops[hops.length - 1];
    if (last && last.length <= 64) return last;
  }
  const env = c.env as { incoming?: NodeSocketHolder; server?: { incoming?: NodeSocketHolder } } | undefined;
  const incoming = env?.server?.incoming ?? env?.incoming;
  if (incoming) return incoming.socket?.remoteAddress ?? null;
  const cf = c.req.header('cf-connecting-ip');
  return cf && cf.length <= 64 ? cf : null;
}
