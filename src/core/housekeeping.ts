// The daily clean-up: stale pending signups (30 days), expired sessions and links, webhook ids past replay, per-reader
// click rows past 180 days.
import { deleteExpiredSessions, deleteOldWebhookIds, deleteStalePending } from '../db/repos/housekeeping.js';
import { foldOldReaderClicks } from '../db/repos/clicks.js';
import type { Deps } from './deps.js';

/** Per-reader click rows (TRACKING=reader) are kept this long, then folded into the story counters as a number. */
export const READER_CLICKS_KEPT_DAYS = 180;

const DAY = 86_400_000;

export async function runHousekeeping(deps: Pick<Deps, 'db' | 'clock' | 'log'>) {
  const now = deps.clock.now().getTime();
  const result = {
    pendingExpired: await deleteStalePending(deps.db, new Date(now - 30 * DAY).toISOString()),
    sessionsPruned: await deleteExpiredSessions(deps.db, new Date(now).toISOString()),
    // Svix retries for up to ~3 days; ids older than 7 days can no longer be replayed with a fresh timestamp.
    webhookIdsPruned: await deleteOldWebhookIds(deps.db, new Date(now - 7 * DAY).toISOString()),
    readerClicksFolded: await foldOldReaderClicks(deps.db, new Date(now - READER_CLICKS_KEPT_DAYS * DAY).toISOString()),
  };
  deps.log.info('Housekeeping done', result);
  return result;
}
