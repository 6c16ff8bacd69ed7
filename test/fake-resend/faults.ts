// Injectable failures (5xx, HTML gateway errors, resets, slow or missing answers), queued or drawn from a seeded RNG.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildResendError } from './errors.js';
import type { RequestRecord } from './state.js';
import { seededRandom } from '../helpers/random.js';

export type FaultKind =
  | 'error500' // 500 with Resend's JSON error body
  | 'html502' // 502 with an HTML body, as a load balancer sends it
  | 'reset' // the TCP connection is destroyed, no answer
  | 'hang' // no answer ever (until the client gives up or the server closes)
  | 'delay'; // the request holds its idempotency key for `ms`, then is handled normally

export interface Fault {
  kind: FaultKind;
  /** For `delay`: how long. */
  ms?: number;
  /**
   * For error500/html502/reset/hang: handle the request fully first (emails recorded, idempotent answer stored),
   * then fail the answer. This is the "sent, but the client cannot know" case the outbox must survive.
   */
  afterAccept?: boolean;
  /** How many consecutive requests this fault hits (queued faults only). Default 1. */
  times?: number;
}

export interface FaultRate {
  probability: number;
  faults: Fault[];
  seed?: number;
}

export function createFaultPlan() {
  let queue: { fault: Fault; left: number }[] = [];
  let rate: { probability: number; faults: Fault[]; random: () => number } | null = null;
  let injected = 0;

  return {
    /** Replace the queue: each fault hits the next `times` API requests, in order. */
    set(...faults: Fault[]) {
      queue = faults.map((fault) => ({ fault, left: fault.times ?? 1 }));
    },
    setRate(r: FaultRate | null) {
      rate = r ? { probability: r.probability, faults: r.faults, random: seededRandom(r.seed ?? 1) } : null;
    },
    clear() {
      queue = [];
      rate = null;
    },
    /** The fault for the request arriving now, if any. */
    next(): Fault | null {
      const head = queue[0];
      if (head) {
        head.left -= 1;
        if (head.left <= 0) queue.shift();
        injected += 1;
        return head.fault;
      }
      if (rate?.faults.length && rate.random() < rate.probability) {
        injected += 1;
        return rate.faults[Math.floor(rate.random() * rate.faults.length)];
      }
      return null;
    },
    pending: () => queue.reduce((n, q) => n + q.left, 0),
    injected: () => injected,
  };
}

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

/** Answer (or not) the way a broken network or gateway would. */
export function answerWithFault(fault: Fault, req: IncomingMessage, res: ServerResponse, record: RequestRecord): void {
  record.outcome = 'faulted';
  if (fault.kind === 'error500') {
    record.status = 500;
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify(buildResendError('internal_server_error')));
  } else if (fault.kind === 'html502') {
    record.status = 502;
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end(BAD_GATEWAY_HTML);
  } else if (fault.kind === 'reset') {
    req.socket.destroy();
  }
  // 'hang': leave the response open; close() or the client's own timeout ends it.
}
