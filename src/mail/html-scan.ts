// Finds the links and images in mail HTML for the pre-send checks. Mail HTML is generated, so a tag scanner is
// enough; it also reads inside conditional comments, because Outlook renders what is there.

export interface FoundLink {
  href: string | null;
}

export interface FoundImage {
  src: string | null;
  alt: string | null;
}

const TAG = /<(a|img)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTR = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

export function scanHtml(html: string): { links: FoundLink[]; images: FoundImage[] } {
  const links: FoundLink[] = [];
  const images: FoundImage[] = [];
  for (const m of html.matchAll(TAG)) {
    const attrs = parseAttributes(m[2]);
    if (m[1].toLowerCase() === 'a') links.push({ href: attrs.get('href') ?? null });
    else images.push({ src: attrs.get('src') ?? null, alt: attrs.get('alt') ?? null });
  }
  return { links, images };
}

function parseAttributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(ATTR)) {
    const name = m[1].toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}
