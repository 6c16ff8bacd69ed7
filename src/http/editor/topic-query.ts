// The preview's "as a reader who follows …" picker in a URL: ?topics=a&topics=b or ?topics=a,b, checked against TOPICS.
import { editionOf, TOPICS, type Topic } from '../../shared/topics.js';

export type TopicsQuery = { ok: true; topics: Topic[]; edition: number } | { ok: false; topics: Topic[]; edition: 0; unknown: string[] };

/** Unknown names are reported, not dropped: a silently different edition would preview the wrong mail. */
export function parseTopicsQuery(values: readonly string[] | undefined): TopicsQuery {
  const list = (values ?? [])
    .flatMap((v) => v.slice(0, 200).split(','))
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const known = TOPICS.filter((t) => list.includes(t));
  const unknown = [...new Set(list.filter((t) => !(TOPICS as readonly string[]).includes(t)))].slice(0, 10);
  if (unknown.length) return { ok: false, topics: known, edition: 0, unknown };
  return { ok: true, topics: known, edition: editionOf(known) };
}

/** The picked topics as one query value, so links keep them ('' when none). */
export function topicsParam(topics: readonly string[]): string {
  return topics.join(',');
}
