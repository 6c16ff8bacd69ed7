// Which stories a reader's edition holds: the editor's lead stories, then the pool's best in the reader's topics, then the best of the rest.
import { topicsOfMask } from '../../shared/topics.js';

/** A story of the week's pool, best first. */
export interface PoolStory {
  eventId: number;
  /** The story's topics (lower case); a story matches a reader who follows any of them. */
  topics: readonly string[];
}

export interface EditionInput {
  /** The default edition as the editor curated it, in mail order (pinned and excluded already applied). */
  defaultIds: readonly number[];
  /** Stories every reader gets, in mail order: a subset of defaultIds. */
  leadIds: readonly number[];
  /** The pool, best first; holds the default edition's stories too. */
  pool: readonly PoolStory[];
  /** Stories per edition (ISSUE_SIZE). */
  size: number;
}

/**
 * The lead stories: the editor's pinned items when there are any, else the first `leadSize` of the default edition.
 * Pinning is how an editor says "everyone reads this", so it overrides the count.
 */
export function leadStoryIds(defaultItems: readonly { eventId: number; pinned: boolean }[], leadSize: number): number[] {
  const pinned = defaultItems.filter((i) => i.pinned).map((i) => i.eventId);
  return pinned.length > 0 ? pinned : defaultItems.slice(0, leadSize).map((i) => i.eventId);
}

/**
 * The event ids of one edition, in mail order. Edition 0 (no topics, or all of them) is the default edition exactly as
 * curated. Any other edition is the lead stories, then pool stories in its topics by rank, then the rest of the pool by
 * rank, up to `size`, never a story twice. Pure and deterministic: a retry or a preview computes the same list.
 */
export function editionEventIds(edition: number, input: EditionInput): number[] {
  if (edition === 0) return [...input.defaultIds];
  const wanted = topicsOfMask(edition) as readonly string[];
  const size = Math.max(input.size, input.leadIds.length);
  const out: number[] = [];
  const seen = new Set<number>();
  const take = (id: number) => {
    if (out.length >= size || seen.has(id)) return;
    seen.add(id);
    out.push(id);
  };
  for (const id of input.leadIds) take(id);
  for (const s of input.pool) if (s.topics.some((t) => wanted.includes(t))) take(s.eventId);
  for (const s of input.pool) take(s.eventId);
  return out;
}
