// Fast, real test data: subscribers inserted in one transaction, an issue built from real events and started.
import type BetterSqlite3 from 'better-sqlite3';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import type { Deps } from '../../src/core/deps.js';
import { ingestEvents } from '../../src/core/events/ingest-events.js';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { eventInput } from '../factories.js';

export function seedSubscribers(
  sqlite: BetterSqlite3.Database,
  n: number,
  opts: { domain?: string; status?: string; startAt?: number; topics?: (i: number) => readonly string[] } = {},
): string[] {
  const emails: string[] = [];
  const insert = sqlite.prepare(
    `INSERT INTO subscribers (email, email_hash, name, status, topics, created_at, updated_at, confirmed_at)
     VALUES (?, ?, ?, ?, ?, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const email = `reader${(opts.startAt ?? 0) + i}@${opts.domain ?? 'example.com'}`;
      insert.run(email, `hash-${email}`, i % 3 === 0 ? `Reader ${i}` : null, opts.status ?? 'active', JSON.stringify(opts.topics?.(i) ?? []));
      emails.push(email);
    }
  })();
  return emails;
}

/** Ingests a few events in the week of `deps.clock.now()` and builds its draft. */
export async function seedDraft(deps: Deps, events = 6): Promise<string> {
  const now = deps.clock.now().getTime();
  await ingestEvents(deps, {
    events: Array.from({ length: events }, (_, i) =>
      eventInput({
        title: `Story ${i}: a model does a thing`,
        url: `https://news.example.com/s/${i}`,
        publishedAt: new Date(now - (i + 1) * 3600_000).toISOString(),
        topics: [['models', 'compute', 'policy', 'tools'][i % 4]],
        views: 1000 - i * 50,
      }),
    ),
  });
  const { issue } = await buildDraft(deps);
  return issue.id;
}

export async function seedSendingIssue(deps: Deps): Promise<string> {
  const id = await seedDraft(deps);
  await startSending(deps, id);
  return id;
}
