/** @jsxImportSource hono/jsx */
// The archive index page, and the bar on top of an issue's web version and the rest of the week's pool below it.
import type { ArchiveEntry, TopicGroup } from '../../core/subscribers/archive.js';
import { Layout } from './layout.js';
import { formatDay } from './subscriber-pages.js';

export function ArchiveIndexPage({ entries, postalAddress }: { entries: ArchiveEntry[]; postalAddress: string }) {
  return (
    <Layout title="Archive" current="archive" postalAddress={postalAddress} description="Every Weekly AI Recap sent so far.">
      <h1>Archive</h1>
      <p class="lede">Every issue sent so far, newest first.</p>
      <section class="card" aria-label="Issues">
        {entries.length === 0 ? (
          <p>
            No issue has been sent yet. <a href="/">Subscribe</a> to get the first one.
          </p>
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
    <nav
      aria-label="Site"
      style="font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#17181c;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;gap:8px 20px;align-items:center;justify-content:center"
    >
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

/** Below the mail: the week's pool stories this edition left out, by topic, so the web version shows the whole week. */
export function MoreFromTheWeek({ groups }: { groups: TopicGroup[] }) {
  if (groups.length === 0) return null;
  return (
    <section
      aria-labelledby="more-h"
      data-testid="more-from-the-week"
      style="font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:600px;margin:0 auto;padding:24px 16px 40px;color:#17181c"
    >
      <h2 id="more-h" style="font-size:20px;margin:0 0 4px">
        More from the week
      </h2>
      <p style="margin:0 0 12px;color:#595d66">Other stories of the week, for readers who follow these topics.</p>
      {groups.map((g) => (
        <div data-topic={g.topic}>
          <h3 style="font-size:16px;margin:16px 0 6px">{g.label}</h3>
          <ul style="margin:0;padding-left:20px">
            {g.stories.map((s) => (
              <li style="margin:4px 0">
                {s.url ? (
                  <a href={s.url} style="color:#17181c">
                    {s.title}
                  </a>
                ) : (
                  s.title
                )}{' '}
                <span style="color:#595d66">· {s.sourceName}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
