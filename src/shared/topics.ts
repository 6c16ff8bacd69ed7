// The topics a story can have and a reader can follow: the vocabulary shared by the domain, the mails and the pages.
export const TOPICS = ['models', 'compute', 'policy', 'research', 'funding', 'tools', 'safety', 'products'] as const;
export type Topic = (typeof TOPICS)[number];

export const TOPIC_LABELS: Record<Topic, string> = {
  models: 'Models',
  compute: 'Compute & chips',
  policy: 'Policy',
  research: 'Research',
  funding: 'Funding',
  tools: 'Tools',
  safety: 'Safety',
  products: 'Products',
};

/**
 * A topic set as a bit mask (bit i = TOPICS[i]): the key of a reader's edition. Order and duplicates in the stored
 * list do not matter, and the SQL that snapshots an audience computes the same number (src/db/topic-mask.ts).
 */
export function topicMask(topics: readonly string[]): number {
  let mask = 0;
  for (let i = 0; i < TOPICS.length; i++) if (topics.includes(TOPICS[i])) mask |= 1 << i;
  return mask;
}

/** Every topic ticked: the same as none, the default edition. */
export const ALL_TOPICS_MASK = (1 << TOPICS.length) - 1;

/** The edition a topic set gets: 0 (the default edition) for none or all of them. */
export function editionOf(topics: readonly string[]): number {
  return topicMask(topics) % ALL_TOPICS_MASK;
}

export function topicsOfMask(mask: number): Topic[] {
  return TOPICS.filter((_, i) => (mask & (1 << i)) !== 0);
}
