// First-start demo content: the week's AI-news events, so a newcomer sees a real draft at once.
import { countEvents, upsertEvents } from '../db/repos/events.js';
import { demoEvents } from '../demo/demo-events.js';
import type { Deps } from './deps.js';
import { isoWeekOf, previousWeek, weekWindow } from './iso-week.js';

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
