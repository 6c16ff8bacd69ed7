// What the fake saw, for assertions: every accepted email and every request with its arrival time and answer.
import type { FaultKind } from './faults.js';
import { extractAddress } from './validate.js';

export interface AcceptedEmail {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  idempotencyKey: string | null;
  apiKey: string;
  endpoint: '/emails' | '/emails/batch';
  /** Position in the batch request body; null for POST /emails. */
  batchIndex: number | null;
  /** Epoch ms (the fake's clock). */
  acceptedAt: number;
}

export type RequestOutcome = 'pending' | 'accepted' | 'replayed' | 'rejected' | 'faulted';

export interface RequestRecord {
  /** Epoch ms of arrival (the fake's clock). */
  at: number;
  method: string;
  path: string;
  apiKey: string | null;
  idempotencyKey: string | null;
  batchValidation: string | null;
  /** Status sent, or null when no answer was sent (reset, hang). */
  status: number | null;
  errorName?: string;
  fault?: FaultKind;
  outcome: RequestOutcome;
  /** Emails accepted by this request (0 for replays and rejections). */
  accepted: number;
}

export function createFakeState() {
  const emails: AcceptedEmail[] = [];
  const requests: RequestRecord[] = [];

  return {
    emails,
    requests,
    /** Accepted emails per bare lower-cased `to` address: the "did anyone get it twice" check. */
    countByRecipient(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const e of emails) {
        for (const raw of e.to) {
          const a = extractAddress(raw) ?? raw.toLowerCase();
          counts.set(a, (counts.get(a) ?? 0) + 1);
        }
      }
      return counts;
    },
    emailsTo(address: string): AcceptedEmail[] {
      const want = extractAddress(address) ?? address.toLowerCase();
      return emails.filter((e) => e.to.some((raw) => (extractAddress(raw) ?? raw.toLowerCase()) === want));
    },
    emailById: (id: string) => emails.find((e) => e.id === id),
    /** The most requests that arrived within any `windowMs` span (default 1 s), optionally filtered. */
    maxRequestsInWindow(windowMs = 1000, filter: (r: RequestRecord) => boolean = () => true): number {
      const times = requests
        .filter(filter)
        .map((r) => r.at)
        .sort((a, b) => a - b);
      let best = 0;
      for (let lo = 0, hi = 0; hi < times.length; hi++) {
        while (times[hi] - times[lo] >= windowMs) lo++;
        best = Math.max(best, hi - lo + 1);
      }
      return best;
    },
    clear() {
      emails.length = 0;
      requests.length = 0;
    },
  };
}

export type FakeState = ReturnType<typeof createFakeState>;
