// The signed tokens of GET /r/:token: they name an issue, an edition and a story of that issue (never a URL, so the
// redirect can only lead to the issue's own frozen links), and in reader mode a consenting reader. Deterministic:
// the same inputs give the same token, so a retried batch rebuilds the same bytes.
import { hmacSha256 } from '../tokens.js';

const enc = new TextEncoder();
/** 16 bytes of HMAC-SHA256 (128 bits): ample against forgery, and short, since each story link carries one. */
const MAC_BYTES = 16;
const ISSUE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/i;
const PUBLIC_ID = /^[a-f0-9]{32}$/;
const MAC = /^[A-Za-z0-9_-]{22}$/;

export interface ClickTarget {
  issueId: string;
  edition: number;
  eventId: number;
}

export interface ClickToken extends ClickTarget {
  /** The reader's public id, present only on a reader-mode link whose reader part verified. */
  readerPublicId: string | null;
}

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function mac(secret: string, text: string): Promise<string> {
  return b64url((await hmacSha256(secret, enc.encode(text))).subarray(0, MAC_BYTES));
}

/** Constant-time comparison of two equal-length ASCII strings (a mismatch in length fails at once: lengths are public). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** `issue.edition.event.mac`: the link every reader of that edition gets in aggregate mode. */
export async function signClickToken(secret: string, t: ClickTarget): Promise<string> {
  if (!ISSUE_ID.test(t.issueId) || !Number.isInteger(t.edition) || t.edition < 0 || !Number.isInteger(t.eventId) || t.eventId < 0) {
    throw new Error('signClickToken: issue id, edition and event id must be plain identifiers');
  }
  return `${t.issueId}.${t.edition}.${t.eventId}.${await mac(secret, `click:${t.issueId}:${t.edition}:${t.eventId}`)}`;
}

/**
 * `~publicId.mac`, appended to every story token of one issue for one consenting reader: one HMAC per reader and
 * issue rather than one per link. It binds the reader to the issue only; pairing it with another story of the same
 * issue tells us nothing the reader did not do.
 */
export async function signReaderSuffix(secret: string, issueId: string, publicId: string): Promise<string> {
  if (!PUBLIC_ID.test(publicId)) throw new Error('signReaderSuffix: not a public id');
  return `~${publicId}.${await mac(secret, `click-reader:${issueId}:${publicId}`)}`;
}

/** Null for anything we did not sign, the reader part included: an edited link leads nowhere rather than being half-trusted. */
export async function verifyClickToken(secret: string, token: string): Promise<ClickToken | null> {
  if (typeof token !== 'string' || token.length > 160) return null;
  const [story, reader, extra] = token.split('~');
  if (extra !== undefined) return null;
  const parts = story.split('.');
  if (parts.length !== 4) return null;
  const [issueId, editionRaw, eventRaw, gotMac] = parts;
  if (!ISSUE_ID.test(issueId) || !/^\d{1,3}$/.test(editionRaw) || !/^\d{1,12}$/.test(eventRaw) || !MAC.test(gotMac)) return null;
  const edition = Number(editionRaw);
  const eventId = Number(eventRaw);
  if (!sameText(gotMac, await mac(secret, `click:${issueId}:${edition}:${eventId}`))) return null;
  let readerPublicId: string | null = null;
  if (reader !== undefined) {
    const [publicId, readerMac, more] = reader.split('.');
    if (more !== undefined || !PUBLIC_ID.test(publicId) || !MAC.test(readerMac ?? '')) return null;
    if (!sameText(readerMac, await mac(secret, `click-reader:${issueId}:${publicId}`))) return null;
    readerPublicId = publicId;
  }
  return { issueId, edition, eventId, readerPublicId };
}
