// The archive as an Atom 1.0 feed (RFC 4287), built by hand: a dozen elements, every text escaped.
import type { ArchiveEntry } from '../../core/subscribers/archive.js';

export function buildAtomFeed(entries: ArchiveEntry[], opts: { publicUrl: string; title: string; fallbackUpdated: string }): string {
  const base = opts.publicUrl;
  // biome-ignore lint/complexity/useMathMinMax: sentAt is an ISO string (they compare in time order); Math.max would turn it into NaN
  const updated = entries.reduce((max, e) => (e.sentAt > max ? e.sentAt : max), entries.length ? entries[0].sentAt : opts.fallbackUpdated);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(`${base}/feed.xml`)}</id>`,
    `  <title>${xml(opts.title)}</title>`,
    `  <subtitle>The AI stories that mattered this week, in one short email.</subtitle>`,
    `  <updated>${xml(toRfc3339(updated))}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${base}/feed.xml`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${base}/archive`)}"/>`,
    `  <author><name>${xml(opts.title)}</name><uri>${xml(`${base}/`)}</uri></author>`,
  ];
  for (const e of entries) {
    lines.push(
      '  <entry>',
      `    <id>${xml(e.url)}</id>`,
      `    <title>${xml(e.subject)}</title>`,
      `    <updated>${xml(toRfc3339(e.sentAt))}</updated>`,
      `    <published>${xml(toRfc3339(e.sentAt))}</published>`,
      `    <link rel="alternate" type="text/html" href="${xml(e.url)}"/>`,
      `    <summary>${xml(e.preheader || e.weekLabel)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

function toRfc3339(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? new Date(0).toISOString() : new Date(t).toISOString();
}

// XML 1.0 forbids most control characters outright; escaping cannot save them, so they go.
function xml(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
  );
}
