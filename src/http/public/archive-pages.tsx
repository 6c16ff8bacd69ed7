/** @jsxImportSource hono/jsx */
// The archive index page, and the bar put on top of an issue's web version.
import type { ArchiveEntry } from '../../core/subscribers/archive.js';
import { Layout } from './layout.js';
import { formatDay } from './subscriber-pages.js';

export function ArchiveIndexPage({ entries, postalAddress }: { entries: ArchiveEntry[]; postalAddress: string }) {
  return (
    <Layout title="Archive" current="archive" postalAddress={postalAddress} description="Every Weekly AI Recap sent so far.">
      <h1>Archive</h1>
      <p class="lede">Every issue sent so far, newest first.</p>
      <section class="card" aria-label="Issues">
        {entries.length === 0 ? (
          <p>No issue has been sent yet. <a href="/">Subscribe</a> to get the first one.</p>
        ) : (
          <ul class="archive-list">
            {entries.map((e) => (
              <li>
                <span class="meta">
                  <time datetime={e.sentAt}>{formatDay(e.sentAt)}</time>
                  {` · ${e.weekLabel}`}
                </span>
                <a href={`/archive/${encodeURIComponent(e.slug)}`}>{e.subject}</a>
                {e.preheader ? <p>{e.preheader}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** A slim site bar for the top of the mail's own HTML (the web version is the mail, not a re-layout). */
export function WebVersionBar({ entry }: { entry: ArchiveEntry }) {
  return (
    <nav aria-label="Site" style="font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#17181c;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;gap:8px 20px;align-items:center;justify-content:center">
      <a href="/archive" style="color:#fff;font-weight:600">
        ← All issues
      </a>
      <span>{entry.weekLabel}</span>
      <a href="/" style="color:#ffb38c;font-weight:700">
        Subscribe to the Weekly AI Recap
      </a>
    </nav>
  );
}
