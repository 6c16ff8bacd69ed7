// A reader's own settings: topics (none ticked means everything) and a pause of a few weeks.
import { insertConsents } from '../../db/repos/consents.js';
import { inTransaction, updateSubscriber } from '../../db/repos/subscribers.js';
import type { SubscriberRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { TOPICS, type Topic } from '../../shared/topics.js';
import { consentFields, type RequestContext } from './request-context.js';

export const PAUSE_CHOICES = [1, 2, 4, 8, 12] as const;
export const PAUSE_MAX_WEEKS = 52;

export interface PreferencesView {
  status: SubscriberRow['status'];
  topics: Topic[];
  pausedUntil: string | null;
}

export interface PreferencesChange {
  topics: Topic[];
  /** Weeks from now; 0 resumes; undefined leaves the pause as it is. */
  pauseWeeks?: number;
}

export function preferencesOf(sub: SubscriberRow, now: Date): PreferencesView {
  const paused = sub.paused_until && Date.parse(sub.paused_until) > now.getTime() ? sub.paused_until : null;
  return { status: sub.status, topics: parseTopics(sub.topics), pausedUntil: paused };
}

export async function savePreferences(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  sub: SubscriberRow,
  change: PreferencesChange,
  ctx: RequestContext,
): Promise<PreferencesView> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const topics = TOPICS.filter((t) => change.topics.includes(t));
  const weeks = change.pauseWeeks === undefined ? undefined : Math.max(0, Math.min(PAUSE_MAX_WEEKS, Math.floor(change.pauseWeeks)));
  const pausedUntil = weeks === undefined ? sub.paused_until : weeks === 0 ? null : new Date(now.getTime() + weeks * 7 * 864e5).toISOString();
  const consent = await consentFields(deps.config.appSecret, ctx);
  await inTransaction(deps.db, async (trx) => {
    await updateSubscriber(trx, sub.id, { topics: JSON.stringify(topics), paused_until: pausedUntil, updated_at: nowIso });
    await insertConsents(trx, [
      { subscriber_id: sub.id, action: 'preferences', source: 'preferences-page', form_version: null, ...consent, created_at: nowIso },
    ]);
  });
  return preferencesOf({ ...sub, topics: JSON.stringify(topics), paused_until: pausedUntil }, now);
}

export function parseTopics(json: string): Topic[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? TOPICS.filter((t) => v.includes(t)) : [];
  } catch {
    return [];
  }
}
