// Where a request came from, reduced to what a consent record keeps: a keyed hash of the IP and the user agent.
import { hashIp } from './email-address.js';

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export const USER_AGENT_MAX = 400;

// Hashing the same few addresses again and again is wasted work: keep the recent ones.
const ipHashes = new Map<string, Promise<string>>();

export async function consentFields(secret: string, ctx: RequestContext): Promise<{ ip_hash: string | null; user_agent: string | null }> {
  return { ip_hash: ctx.ip ? await cachedIpHash(secret, ctx.ip) : null, user_agent: cleanUserAgent(ctx.userAgent) };
}

function cachedIpHash(secret: string, ip: string): Promise<string> {
  const key = `${secret}\n${ip}`;
  let h = ipHashes.get(key);
  if (!h) {
    h = hashIp(secret, ip);
    if (ipHashes.size >= 1024) ipHashes.delete(ipHashes.keys().next().value!);
    ipHashes.set(key, h);
  }
  return h;
}

export function cleanUserAgent(ua: string | null | undefined): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
  const s = (ua ?? '').replace(/[\u0000-\u001F\u007F]/g, '').trim();
  return s ? [...s].slice(0, USER_AGENT_MAX).join('') : null;
}
