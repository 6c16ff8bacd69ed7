// The aggregator's event (a story with its signals) as the domain sees it, and its ingest schema.
import { z } from 'zod';

export interface NewsEvent {
  id: number;
  externalId: string;
  title: string;
  url: string;
  canonicalUrl: string;
  sourceName: string;
  sourceUrl: string | null;
  publishedAt: string; // ISO UTC
  collectedAt: string;
  category: string | null;
  topics: string[];
  summary: string | null;
  whyItMatters: string | null;
  whatToDoNext: string | null;
  whoShouldCare: string | null;
  keyTakeaways: string[];
  imageUrl: string | null;
  views: number;
  clicks: number;
  shares: number;
  sourceCount: number;
  editorBoost: number;
}

// Control characters (other than tab/newline) never belong in event text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
const noControl = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
const text = (max: number) => z.string().trim().min(1).max(max).regex(noControl, 'contains control characters');
const optText = (max: number) => text(max).nullish();
const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');
const isoDate = z
  .string()
  .trim()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}/.test(v), 'must be an ISO-8601 date-time')
  .transform((v) => new Date(v).toISOString());
const count = z.number().int().min(0).max(1e12);

export const eventInputSchema = z.object({
  externalId: text(200),
  title: text(500),
  url: httpUrl,
  sourceName: text(200),
  sourceUrl: httpUrl.nullish(),
  publishedAt: isoDate,
  collectedAt: isoDate.optional(),
  category: optText(100),
  topics: z.array(text(50)).max(20).optional(),
  summary: optText(5000),
  whyItMatters: optText(5000),
  whatToDoNext: optText(5000),
  whoShouldCare: optText(2000),
  keyTakeaways: z.array(text(1000)).max(20).optional(),
  imageUrl: httpUrl.nullish(),
  views: count.optional(),
  clicks: count.optional(),
  shares: count.optional(),
  sourceCount: count.optional(),
  editorBoost: z.number().min(-100).max(100).optional(),
});

export type EventInput = z.output<typeof eventInputSchema>;

export const MAX_EVENTS_PER_CALL = 500;
