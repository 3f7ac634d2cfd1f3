import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { sleep } from '@tributary/core';
import {
  createCuragenesisSimulator,
  createWebhookSender,
  orderPlacedEvent,
  type WebhookDelivery,
} from '../../sim-curagenesis/src';
import type { Tally } from './check/tally';

/** A strong webhook secret: the gateway runs outside demo mode. */
export const webhookSecret = (): string => randomBytes(32).toString('hex');

/**
 * Signed CuraGenesis webhook traffic at a steady rate, sent as CuraGenesis would: Standard Webhooks
 * (the delivery id is `webhook-id`), and a delivery not answered 2xx (connection refused while the
 * gateway restarts, 503, 429) is sent again after a pause until it is. Keeps which deliveries were
 * answered 202 (accepted) and 200 (duplicate).
 */
export interface WebhookTraffic {
  accepted: Set<string>;
  duplicates: Set<string>;
  /** Attempts that failed or were answered something else than 2xx. */
  retries: number;
  /** Deliveries given up on: never answered 2xx within the stop's time limit. */
  abandoned: number;
  /** Stops sending new deliveries and waits (at most `timeoutMs`) for those in flight to be answered 2xx. */
  stop(timeoutMs?: number): Promise<void>;
}

export function startWebhookTraffic(options: {
  baseUrl: () => Promise<string>;
  secret: string;
  ratePerSec: number;
  seed?: number;
  /** Orders (deliveries) available (default 5 000). */
  orders?: number;
}): WebhookTraffic {
  const sim = createCuragenesisSimulator({
    seed: options.seed ?? 77,
    practices: 200,
    orders: options.orders ?? 5_000,
  });
  const traffic: WebhookTraffic = {
    accepted: new Set(),
    duplicates: new Set(),
    retries: 0,
    abandoned: 0,
    stop: async () => undefined,
  };
  let stopped = false;
  let givenUp = false;
  const inflight = new Set<Promise<void>>();
  const deliver = async (delivery: WebhookDelivery): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const sender = createWebhookSender({
          targetBaseUrl: await options.baseUrl(),
          secret: options.secret,
          scheme: 'standard',
          timeoutMs: 15_000,
        });
        const [answer] = await sender.send(delivery);
        if (answer!.status === 202) return void traffic.accepted.add(delivery.id);
        if (answer!.status === 200) return void traffic.duplicates.add(delivery.id);
      } catch {
        /* connection refused or reset: the gateway is restarting */
      }
      traffic.retries++;
      if (givenUp) return void traffic.abandoned++;
      await sleep(Math.min(250 * 2 ** attempt, 5_000));
    }
  };
  const loop = async (): Promise<void> => {
    const start = Date.now();
    for (let i = 0; !stopped && i < sim.dataset.countOrders(); i++) {
      const due = start + (i * 1000) / options.ratePerSec;
      if (due > Date.now()) await sleep(due - Date.now());
      const p = deliver(orderPlacedEvent(sim.dataset, sim.dataset.order(i).order_id));
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  };
  const running = loop();
  traffic.stop = async (timeoutMs = 180_000) => {
    stopped = true;
    await running;
    const timer = setTimeout(() => (givenUp = true), timeoutMs);
    await Promise.all([...inflight]);
    clearTimeout(timer);
  };
  return traffic;
}

/**
 * Every delivery answered 202 (or 200 duplicate) must be in `curagenesis_webhook_deliveries` (lost otherwise); a
 * delivery stored twice, or stored without having been sent, is doubled.
 */
export async function checkWebhooks(
  pool: Pool,
  traffic: Pick<WebhookTraffic, 'accepted' | 'duplicates'>,
): Promise<Tally> {
  const res = await pool.query<{ delivery_id: string; n: number }>(
    `SELECT delivery_id, count(*)::int AS n FROM curagenesis_webhook_deliveries GROUP BY delivery_id`,
  );
  const stored = new Map(res.rows.map((r) => [r.delivery_id, r.n]));
  // A 200 duplicate says an earlier attempt was published (its 202 may have been lost with the connection).
  const answered = new Set([...traffic.accepted, ...traffic.duplicates]);
  const tally: Tally = { checked: answered.size, lost: 0, doubled: 0, differs: 0, samples: [] };
  for (const id of answered) {
    if (!stored.has(id)) {
      tally.lost++;
      if (tally.samples.length < 5)
        tally.samples.push(`webhook ${id} answered ${traffic.accepted.has(id) ? 202 : 200}, not stored`);
    }
  }
  for (const [id, n] of stored) {
    if (n > 1) tally.doubled += n - 1;
    if (!answered.has(id)) {
      tally.doubled++;
      if (tally.samples.length < 5) tally.samples.push(`webhook ${id} stored, never sent`);
    }
  }
  return tally;
}
