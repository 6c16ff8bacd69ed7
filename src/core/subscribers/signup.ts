// Starting a double opt-in. Signups are written through a group commit: one transaction per batch of
// concurrent requests, each answered only after its batch committed (subscriber, consent and
// confirmation mail together, or nothing).
import { createGroupCommit } from '../../db/group-commit.js';
import { insertConsents, type NewConsent } from '../../db/repos/consents.js';
import { CLICK_CONSENT_YES } from '../../db/repos/clicks.js';
import {
  findSubscribersByEmailHashes,
  inTransaction,
  insertSubscribers,
  updateSubscriber,
  type NewSubscriber,
  type SubscriberPatch,
} from '../../db/repos/subscribers.js';
import type { SubscriberRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { measureSignups } from '../measure.js';
import { enqueueMails } from '../send/enqueue-mail.js';
import { confirmExpiry } from './confirm-url.js';
import { hashEmail } from './email-address.js';
import { consentFields, type RequestContext } from './request-context.js';
import type { SignupInput, SignupSource } from './signup-input.js';
import { newPublicId, planSignup, type SignupPlan, type SubscriberState } from './signup-plan.js';

export interface SignupOutcome {
  write: SignupPlan['write'];
  confirmationQueued: boolean;
}

export interface SignupService {
  submit(input: SignupInput, source: SignupSource, ctx: RequestContext): Promise<SignupOutcome>;
  /** Waits for queued signups to commit (shutdown, tests). */
  drain(): Promise<void>;
}

interface Prepared {
  input: SignupInput;
  source: SignupSource;
  emailHash: string;
  consent: Pick<NewConsent, 'ip_hash' | 'user_agent'>;
  freshPublicId: string;
}

/** `maxBatch: 1` gives one transaction per signup (the benchmark's comparison). */
export function createSignupService(deps: Deps, opts: { maxBatch?: number } = {}): SignupService {
  const commit = createGroupCommit<Prepared, SignupOutcome>({ run: (batch) => writeSignupBatch(deps, batch), maxBatch: opts.maxBatch });
  return {
    async submit(input, source, ctx) {
      const [emailHash, consent] = await Promise.all([hashEmail(deps.config.appSecret, input.email), consentFields(deps.config.appSecret, ctx)]);
      return commit.submit({ input, source, emailHash, consent, freshPublicId: newPublicId() });
    },
    drain: () => commit.drain(),
  };
}

function stateOf(r: SubscriberRow): SubscriberState {
  return { id: r.id, status: r.status, publicId: r.public_id, name: r.name, topics: r.topics, lastConfirmationSentAt: r.last_confirmation_sent_at };
}

async function writeSignupBatch(deps: Deps, batch: Prepared[]): Promise<SignupOutcome[]> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  let mailed = 0;
  const outcomes = await inTransaction(deps.db, async (trx) => {
    const existing = await findSubscribersByEmailHashes(trx, [...new Set(batch.map((p) => p.emailHash))], [...new Set(batch.map((p) => p.input.email))]);
    const state = new Map(existing.map((r) => [r.email_hash, stateOf(r)]));
    // A row stored under another hash (an import, a fixture) is still this address: never insert it twice.
    for (const p of batch) {
      const byEmail = existing.find((r) => r.email === p.input.email);
      if (byEmail && !state.has(p.emailHash)) state.set(p.emailHash, stateOf(byEmail));
    }
    const inserts = new Map<string, NewSubscriber>();
    const updates = new Map<number, SubscriberPatch>();
    const mails: { p: Prepared; next: SubscriberState }[] = [];
    const clickConsents: string[] = [];
    const out: SignupOutcome[] = [];

    // In arrival order, each request sees the state the previous ones left: duplicates in a batch behave as if serial.
    for (const p of batch) {
      const plan = planSignup(state.get(p.emailHash), { ...p.input, source: p.source, freshPublicId: p.freshPublicId }, nowIso);
      const pendingInsert = inserts.get(p.emailHash);
      if (plan.write === 'insert') inserts.set(p.emailHash, { ...plan.patch, email_hash: p.emailHash } as NewSubscriber);
      else if (plan.write !== 'none' && pendingInsert) Object.assign(pendingInsert, plan.patch);
      else if (plan.write !== 'none') updates.set(plan.next.id!, { ...updates.get(plan.next.id!), ...plan.patch });
      state.set(p.emailHash, plan.next);
      if (plan.sendConfirmation) mails.push({ p, next: plan.next });
      // Like name and topics, a yes to click measurement is taken only from someone not yet confirmed: a stranger
      // typing a reader's address must not opt them in.
      if (p.input.clickMeasurement && plan.next.status === 'pending') clickConsents.push(p.emailHash);
      out.push({ write: plan.write, confirmationQueued: plan.sendConfirmation });
    }

    const newIds = await insertSubscribers(trx, [...inserts.values()]);
    for (const [id, patch] of updates) await updateSubscriber(trx, id, patch);
    const idOf = (hash: string) => newIds.get(hash) ?? state.get(hash)!.id!;
    await insertConsents(
      trx,
      batch.map((p) => ({
        subscriber_id: idOf(p.emailHash),
        action: 'signup',
        source: p.source,
        form_version: p.input.formVersion,
        ...p.consent,
        created_at: nowIso,
      })),
    );
    if (clickConsents.length) {
      const byHash = new Map(batch.map((p) => [p.emailHash, p]));
      await insertConsents(
        trx,
        [...new Set(clickConsents)].map((hash) => ({
          subscriber_id: idOf(hash),
          action: CLICK_CONSENT_YES,
          source: byHash.get(hash)!.source,
          form_version: byHash.get(hash)!.input.formVersion,
          ...byHash.get(hash)!.consent,
          created_at: nowIso,
        })),
      );
    }
    // The link is signed when the mail is rendered for sending (src/core/send/queued-mail.ts), not here.
    const expiresAt = confirmExpiry(now);
    await enqueueMails(
      { db: trx, clock: deps.clock },
      mails.map(({ p, next }) => ({
        kind: 'confirm',
        to: p.input.email,
        toName: next.name,
        subscriberId: idOf(p.emailHash),
        template: 'confirm',
        publicId: next.publicId,
        expiresAt,
        name: next.name,
      })),
    );
    mailed = mails.length;
    return out;
  });
  measureSignups(
    deps,
    batch.map((p) => p.source),
    outcomes,
  );
  if (mailed > 0) deps.wakeOutbox?.();
  return outcomes;
}
