// First-start demo content: the week's AI-news events, so a newcomer sees a real draft at once.
import { countEvents, upsertEvents } from '../db/repos/events.js';
import { findSubscribersByEmailHashes, insertSubscribers } from '../db/repos/subscribers.js';
import { hashEmail } from '../core/subscribers/email-address.js';
import { newPublicId } from '../core/subscribers/signup-plan.js';
import { demoEvents } from './demo-events.js';
import type { Deps } from '../core/deps.js';
import { isoWeekOf, previousWeek, weekWindow } from '../core/issues/iso-week.js';

/** Loads the demo events when the event store is empty and DEMO_DATA is on. Returns how many were stored. */
export async function seedDemoEvents(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>): Promise<number> {
  if (!deps.config.demoData) return 0;
  if ((await countEvents(deps.db)) > 0) return 0;
  const now = deps.clock.now();
  const week = isoWeekOf(now, deps.config.tz);
  const cur = weekWindow(week, deps.config.tz);
  const prev = weekWindow(previousWeek(week), deps.config.tz);
  const stored = await upsertEvents(deps.db, demoEvents(now, cur.start, prev.start), now.toISOString());
  deps.log.info(`Loaded ${stored} demo events for ${previousWeek(week)} and ${week} (DEMO_DATA=false skips this).`);
  return stored;
}

export const DEMO_READERS = ['ada@example.com', 'grace@example.com', 'alan@example.com', 'katherine@example.com', 'linus@example.com'];

/**
 * With the dev mailbox (and only then) a few confirmed @example.com readers, so "send now" can be tried end
 * to end without a provider key. Never with RESEND_API_KEY: demo addresses must not reach a real provider.
 */
export async function seedDemoReaders(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>): Promise<number> {
  if (!deps.config.demoData || deps.config.resendApiKey) return 0;
  const nowIso = deps.clock.now().toISOString();
  const rows = await Promise.all(
    DEMO_READERS.map(async (email, i) => ({
      email,
      email_hash: await hashEmail(deps.config.appSecret, email),
      public_id: newPublicId(),
      name: email.split('@')[0].replace(/^./, (c) => c.toUpperCase()),
      status: 'active' as const,
      topics: JSON.stringify(i % 2 ? ['models', 'tools'] : []),
      source: 'demo',
      created_at: nowIso,
      updated_at: nowIso,
      confirmed_at: nowIso,
    })),
  );
  const existing = await findSubscribersByEmailHashes(
    deps.db,
    rows.map((r) => r.email_hash),
  );
  const fresh = rows.filter((r) => !existing.some((e) => e.email_hash === r.email_hash));
  if (fresh.length === 0) return 0;
  await insertSubscribers(deps.db, fresh);
  deps.log.info(`Created ${fresh.length} confirmed demo readers (@example.com) for the dev mailbox.`);
  return fresh.length;
}
