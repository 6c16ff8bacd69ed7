// Which URLs may become links in a mail, and the campaign tags added to outbound article links.
import { neutralizePlaceholders } from './placeholders.js';

/** The URL, normalised, if it is absolute http(s); null for javascript:, data:, relative or malformed input. */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const u = new URL(trimmed);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (u.username || u.password) return null; // https://bank.example@evil.test/ style deception
    return neutralizePlaceholders(u.href);
  } catch {
    return null;
  }
}

/** Images load in the reader's client: only https, so no mixed-content warnings or blocked pictures. */
export function safeImageUrl(raw: string | null | undefined): string | null {
  const u = safeHttpUrl(raw);
  return u?.startsWith('https://') ? u : null;
}

export interface UtmTags {
  source: string;
  medium: string;
  campaign: string;
}

const UTM_KEYS = new Set(['utm_source', 'utm_medium', 'utm_campaign']);

/**
 * Adds utm_source/medium/campaign. Other query parameters keep their exact original encoding
 * (URLSearchParams would re-encode them, and some sites sign their query strings).
 */
export function addUtm(href: string, tags: UtmTags): string {
  const u = new URL(href);
  const kept = u.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !UTM_KEYS.has(safeDecode(pair.split('=')[0]).toLowerCase()));
  const ours = [
    `utm_source=${encodeURIComponent(tags.source)}`,
    `utm_medium=${encodeURIComponent(tags.medium)}`,
    `utm_campaign=${encodeURIComponent(tags.campaign)}`,
  ];
  u.search = `?${[...kept, ...ours].join('&')}`;
  return u.href;
}

/** True when `href` points into our own site (archive, preferences…), which gets no UTM tags. */
export function isUnderBase(href: string, baseUrl: string): boolean {
  const base = baseUrl.replace(/\/+$/, '');
  return href === base || href.startsWith(`${base}/`) || href.startsWith(`${base}?`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
