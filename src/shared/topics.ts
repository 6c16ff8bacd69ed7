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
