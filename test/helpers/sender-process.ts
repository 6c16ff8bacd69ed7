// A real dispatcher process for crash and concurrency tests and the memory bench: runs `dispatch` until nothing is
// left to send. It is wired as production is (createNodeRuntime, which also applies the heap tuning); start it with
// `node ${NODE_HEAP_FLAGS} --import tsx` (src/entry/node/heap.ts) to run it exactly as `npm start` runs the server.
// Env: DATABASE_PATH, RESEND_API_KEY, RESEND_BASE_URL, INSTANCE_ID, LEASE_MS, RESEND_RATE_PER_SEC.
import { dispatch } from '../../src/core/send/dispatch.js';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { createNodeRuntime } from '../../src/entry/node/runtime.js';
import { createConsoleLogger } from '../../src/log.js';

const rt = await createNodeRuntime(process.env, { log: createConsoleLogger({ level: 'warn' }) });
const { deps, config } = rt;
const limiter = createProviderPacer(config.resendRatePerSec);
const owner = config.instanceId ?? `proc-${process.pid}`;
console.log(`ready ${owner}`);

const pending = () =>
  rt.sqlite.sqlite
    .prepare(
      `SELECT (SELECT count(*) FROM issues WHERE status IN ('scheduled','sending')) +
              (SELECT count(*) FROM deliveries WHERE status IN ('queued','claimed')) AS n`,
    )
    .get() as { n: number };

let started = 0;
for (;;) {
  const r = await dispatch(deps, { owner, limiter, leaseMs: config.leaseMs, concurrency: config.sendConcurrency });
  started += r.started.length;
  if (r.outbox?.batches) console.log(`batches ${r.outbox.batches}`);
  if (pending().n === 0) break;
  await new Promise((res) => setTimeout(res, r.skipped ? 100 : 50));
}
console.log(`done started=${started}`);
await rt.close();
