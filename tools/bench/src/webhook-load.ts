import { signatureHeaders, WEBHOOK_PATHS, type WebhookDelivery } from '../../sim-curagenesis/src/webhooks';
import { httpRequestBytes, RawHttpPool } from './raw-http';

/**
 * The benchmark's webhook sender, shaped like a real one: deliveries at a steady rate over a
 * keep-alive agent with a bounded socket pool (a delivery waits for a free socket, as at any real
 * sender), each answered with a status or counted as a failure of its own kind. The pacing loop
 * yields to the event loop every tick, so answers are read while sending (a loop that only awaits
 * when ahead of schedule starves its own sockets once behind).
 */
export interface WebhookLoadOptions {
  baseUrl: string;
  secret: string;
  ratePerSec: number;
  total: number;
  /** Sockets of the keep-alive pool (the most deliveries in flight at once). */
  sockets: number;
  /**
   * A delivery without an answer this long after it was written on a socket is a timeout; one that
   * waited this long for a free socket is given up unsent (the sender's own backlog), ms.
   */
  timeoutMs: number;
  delivery(i: number): WebhookDelivery;
  /** Told when a delivery is handed to the agent (its send time, Date.now()). */
  onSent?(i: number, sentAtMs: number): void;
  onProgress?(sent: number, answered: number, outcomes: readonly (LoadOutcome | undefined)[]): void;
}

/** What became of one delivery. */
export type LoadOutcome =
  | { kind: 'status'; status: number; ms: number; retryAfter: boolean }
  | { kind: 'connection' | 'timeout' | 'unsent'; ms: number; error: string };

export interface WebhookLoadResult {
  outcomes: (LoadOutcome | undefined)[];
  /** How far the sender fell behind its schedule at worst (its own CPU, ms). */
  maxLagMs: number;
  /** The most deliveries waiting in the sender's queue for a free socket at once. */
  maxQueued: number;
  /** Connections the sender opened in all. */
  socketsOpened: number;
}

const TICK_MS = 2;

export async function sendWebhookLoad(options: WebhookLoadOptions): Promise<WebhookLoadResult> {
  const outcomes: (LoadOutcome | undefined)[] = new Array<LoadOutcome | undefined>(options.total);
  let answered = 0;
  /** Deliveries on a socket now (at most `sockets`). */
  let inFlight = 0;
  /** The sender's own queue (index and send time), FIFO from `head`: a request is made only once a socket is free. */
  const queue: { i: number; sent: number }[] = [];
  let head = 0;
  let maxQueued = 0;
  let maxLagMs = 0;
  const url = new URL(options.baseUrl);
  // Keep-alive connections, an idle one closed by the sender before the server's keep-alive timeout
  // (node's 5 s) can close it under a request just written on it (the keep-alive race: ECONNRESET).
  const pool = new RawHttpPool({
    host: url.hostname,
    port: Number(url.port),
    timeoutMs: options.timeoutMs,
    idleMs: 4_000,
  });
  const settle = (i: number, outcome: LoadOutcome) => {
    if (outcomes[i]) return;
    outcomes[i] = outcome;
    answered++;
  };

  // Requests (bodies and signatures; hex: no timestamp) are made as bytes before the clock starts,
  // so that the sender's CPU during the run is the sending alone (it shares the machine with what it
  // measures).
  const prepared = Array.from({ length: options.total }, (_, i) => {
    const delivery = options.delivery(i);
    const body = JSON.stringify(delivery.body);
    const headers = {
      'content-type': 'application/json',
      ...signatureHeaders('hmac', options.secret, delivery, body, Math.floor(Date.now() / 1000)),
    };
    return httpRequestBytes(url.host, WEBHOOK_PATHS[delivery.endpoint], headers, body);
  });

  /** Writes delivery `i` on a connection of the pool; `done` once it is answered or failed. */
  const dispatch = (i: number, sent: number, done: () => void) => {
    const bytes = prepared[i]!;
    prepared[i] = undefined as never;
    pool.send(bytes, (o) => {
      const ms = Date.now() - sent;
      settle(
        i,
        o.kind === 'status'
          ? { kind: 'status', status: o.status, ms, retryAfter: o.retryAfter }
          : { kind: o.kind, ms, error: o.error },
      );
      done();
    });
  };

  /** Fills free sockets from the queue; a delivery that waited past the timeout is given up unsent. */
  const pump = () => {
    while (inFlight < options.sockets && head < queue.length) {
      const { i, sent } = queue[head]!;
      head++;
      const waited = Date.now() - sent;
      if (waited > options.timeoutMs) {
        settle(i, { kind: 'unsent', ms: waited, error: `no free socket within ${options.timeoutMs} ms` });
        continue;
      }
      inFlight++;
      dispatch(i, sent, () => {
        inFlight--;
        pump();
      });
    }
    if (head > 10_000) {
      queue.splice(0, head);
      head = 0;
    }
  };

  const send = (i: number) => {
    const sent = Date.now();
    options.onSent?.(i, sent);
    queue.push({ i, sent });
    maxQueued = Math.max(maxQueued, queue.length - head);
  };

  const start = Date.now();
  let next = 0;
  let lastProgress = start;
  while (next < options.total) {
    const now = Date.now();
    const due = Math.min(options.total, Math.floor(((now - start) * options.ratePerSec) / 1000) + 1);
    if (next < due)
      maxLagMs = Math.max(maxLagMs, Math.round(now - (start + (next * 1000) / options.ratePerSec)));
    while (next < due) send(next++);
    pump();
    if (now - lastProgress >= 5_000) {
      lastProgress = now;
      options.onProgress?.(next, answered, outcomes);
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  while (answered < options.total) {
    pump();
    await new Promise((r) => setTimeout(r, 20));
  }
  pool.close();
  return { outcomes, maxLagMs, maxQueued, socketsOpened: pool.opened };
}

export interface OutcomeTally {
  /** Deliveries answered, by status. */
  statuses: Map<number, number>;
  /** Deliveries that got no status: refused or cut connections, by error code. */
  connectionFailures: Map<string, number>;
  /** Deliveries that got no status within the timeout. */
  timeouts: number;
  /** Deliveries the sender gave up before sending (no free socket within the timeout). */
  unsent: number;
  /** Answer times of the 202s among the measured deliveries, ms, sorted. */
  acceptedMs: number[];
  /** Answer times of the 429s and 503s (all deliveries), ms, sorted. */
  shedMs: number[];
  /** 429s and 503s answered without Retry-After. */
  shedWithoutRetryAfter: number;
}

export function tallyOutcomes(
  outcomes: readonly (LoadOutcome | undefined)[],
  measured: (i: number) => boolean,
): OutcomeTally {
  const tally: OutcomeTally = {
    statuses: new Map(),
    connectionFailures: new Map(),
    timeouts: 0,
    unsent: 0,
    acceptedMs: [],
    shedMs: [],
    shedWithoutRetryAfter: 0,
  };
  outcomes.forEach((o, i) => {
    if (!o) return;
    if (o.kind === 'timeout') tally.timeouts++;
    else if (o.kind === 'unsent') tally.unsent++;
    else if (o.kind === 'connection')
      tally.connectionFailures.set(o.error, (tally.connectionFailures.get(o.error) ?? 0) + 1);
    else if (o.kind === 'status') {
      tally.statuses.set(o.status, (tally.statuses.get(o.status) ?? 0) + 1);
      if (o.status === 202 && measured(i)) tally.acceptedMs.push(o.ms);
      if (o.status === 429 || o.status === 503) {
        tally.shedMs.push(o.ms);
        if (!o.retryAfter) tally.shedWithoutRetryAfter++;
      }
    }
  });
  tally.acceptedMs.sort((a, b) => a - b);
  tally.shedMs.sort((a, b) => a - b);
  return tally;
}

/** `202:812 429:40 timeout:3` for a progress line. */
export function outcomeSummary(outcomes: readonly (LoadOutcome | undefined)[], from = 0): string {
  const counts = new Map<string, number>();
  for (let i = from; i < outcomes.length; i++) {
    const o = outcomes[i];
    if (!o) continue;
    const key = o.kind === 'status' ? String(o.status) : o.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}:${n}`).join(' ');
}
