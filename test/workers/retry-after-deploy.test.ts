// On Workers too, a deploy between two attempts of a batch does not change what its retry sends: the confirmations'
// request is stored in D1 with the first attempt (compressed, as a BLOB) and sent again as it was.
import { describe, expect, it } from 'vitest';
import { deliver, fakeResend, postJson, rows, sleep, workerEnv } from './helpers.js';

describe('a deploy between two attempts on Workers', () => {
  it('confirmations accepted but answered 500 are replayed after POSTAL_ADDRESS and MAIL_FROM changed: one mail each', async () => {
    const { env: before, queue } = workerEnv();
    const readers = Array.from({ length: 5 }, (_, i) => `reader${i}@example.com`);
    for (const email of readers) expect((await postJson(before, '/api/subscribe', { email, name: `Reader ${email.length}` })).status).toBe(202);
    const [wake] = queue.take();

    await fakeResend.faults({ kind: 'error500', afterAccept: true });
    await deliver(before, [wake]);
    // Five confirmations are ~40 KB of JSON: kept compressed in the batch row until the outcome is known.
    expect(await rows(before, 'SELECT status, attempts, typeof(body) AS stored FROM delivery_batches')).toEqual([
      { status: 'pending', attempts: 1, stored: 'blob' },
    ]);

    // A new version: another postal address and sender go into every confirmation it renders.
    const { env: after } = workerEnv({ POSTAL_ADDRESS: 'Weekly AI Recap · 99 Moved Avenue · Elsewhere', MAIL_FROM: 'Recap Team <team@example.com>' });
    await sleep(600); // the first retry's backoff
    await deliver(after, [{ kind: 'send', issueId: null, reason: 'sweep' }]);

    const state = await fakeResend.state();
    expect(state.requests.map((r) => r.outcome)).toEqual(['faulted', 'replayed']);
    expect(readers.map((r) => state.countByRecipient[r])).toEqual([1, 1, 1, 1, 1]);
    expect(state.emails.every((m) => !m.text?.includes('99 Moved Avenue'))).toBe(true);
    expect(await rows(after, "SELECT count(*) AS n FROM deliveries WHERE kind = 'confirm' AND status = 'sent' AND resend_id IS NOT NULL")).toEqual([{ n: 5 }]);
    expect(await rows(after, 'SELECT status, body FROM delivery_batches')).toEqual([{ status: 'sent', body: null }]);
  });
});
