// Test-data factories: fresh objects every call, overridable per test.
import type { EventInput } from '../src/core/events/event.js';

let seq = 0;

export function eventInput(overrides: Partial<EventInput> & Record<string, unknown> = {}): EventInput {
  seq += 1;
  return {
    externalId: `evt-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    title: `Story number ${seq} about a new model`,
    url: `https://news.example.com/story-${seq}`,
    sourceName: 'Example News',
    publishedAt: '2026-11-24T10:00:00.000Z',
    topics: ['models'],
    summary: 'A short summary.',
    whyItMatters: 'It matters because of reasons.',
    keyTakeaways: ['One', 'Two'],
    views: 100,
    clicks: 10,
    shares: 1,
    sourceCount: 1,
    ...overrides,
  } as EventInput;
}
