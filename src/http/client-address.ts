// The client's address, by one rule for every caller (signup and editor limiters, consent records), on both runtimes,
// and the key the limiters count it under.
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
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const last = hops[hops.length - 1];
    if (last && last.length <= 64) return last;
  }
  const env = c.env as { incoming?: NodeSocketHolder; server?: { incoming?: NodeSocketHolder } } | undefined;
  const incoming = env?.server?.incoming ?? env?.incoming;
  if (incoming) return incoming.socket?.remoteAddress ?? null;
  const cf = c.req.header('cf-connecting-ip');
  return cf && cf.length <= 64 ? cf : null;
}

/** The key a client is counted under by every limiter: IPv6 clients usually own a whole /64, so the prefix, not each address. */
export function clientLimitKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped) return v4mapped[1];
  if (!ip.includes(':')) return ip;
  const [head] = ip.split('%');
  const parts = head.split('::');
  const left = parts[0] ? parts[0].split(':') : [];
  const right = parts[1] ? parts[1].split(':') : [];
  const full = parts.length > 1 ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${full
    .slice(0, 4)
    .map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
