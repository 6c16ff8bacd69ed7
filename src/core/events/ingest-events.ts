// Validates a batch of aggregator events item by item and stores the valid ones (upsert by externalId).
import { z } from 'zod';
import { upsertEvents } from '../../db/repos/events.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { eventInputSchema, MAX_EVENTS_PER_CALL, type EventInput } from './event.js';

export interface IngestResult {
  stored: number;
  errors: { index: number; message: string }[];
}

const envelope = z.object({ events: z.array(z.unknown()) });

export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Accepts `{ events: [...] }` (or a bare array, as files often are). */
export async function ingestEvents(deps: Pick<Deps, 'db' | 'clock'>, body: unknown): Promise<IngestResult> {
  const list = Array.isArray(body) ? body : envelope.safeParse(body).data?.events;
  if (!list) throw new AppError('validation_failed', 'body must be {"events": [ ... ]}');
  if (list.length > MAX_EVENTS_PER_CALL) {
    throw new AppError('payload_too_large', `at most ${MAX_EVENTS_PER_CALL} events per call (got ${list.length})`);
  }
  const valid: EventInput[] = [];
  const errors: IngestResult['errors'] = [];
  const seen = new Map<string, number>();
  list.forEach((item, index) => {
    const r = eventInputSchema.safeParse(item);
    if (!r.success) {
      errors.push({ index, message: describeIssues(r.error) });
      return;
    }
    // A later duplicate in the same call wins, like a later call would.
    const prev = seen.get(r.data.externalId);
    if (prev !== undefined) valid[prev] = r.data;
    else {
      seen.set(r.data.externalId, valid.length);
      valid.push(r.data);
    }
  });
  const stored = await upsertEvents(deps.db, valid, deps.clock.now().toISOString());
  return { stored, errors };
}
