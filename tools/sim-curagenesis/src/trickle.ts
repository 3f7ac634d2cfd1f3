/**
 * A steady stream of plausible webhook events for the demo and the benchmark. With `mutate` (the
 * simulator's), every event is real: the data set changes first (new order, practice update,
 * activation, new practice) and the body describes the changed record, so the API and the webhooks
 * agree. Without it, events re-describe existing records.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TributaryError, ValidationError, errorMessage } from '@tributary/core';
import type { Dataset } from './dataset';
import type { Mutation, MutationResult } from './mutations';
import { rngFor, Stream, type Rng } from './prng';
import {
  orderPlacedEvent,
  orderPlacedUpdateEvent,
  practiceActivatedEvent,
  practiceCreatedEvent,
  practiceUpdatedEvent,
  type WebhookDelivery,
  type WebhookSender,
} from './webhooks';
import { practiceIdOf } from './ids';

export interface TrickleOptions {
  sender: WebhookSender;
  dataset: Dataset;
  /** The simulator's mutate: makes each event a real change of the data set. */
  mutate?: (mutation: Mutation) => MutationResult;
  ratePerSec: number;
  signal: AbortSignal;
  seed?: number;
  /** Deliveries in flight at most (default 16). */
  maxInFlight?: number;
  onError?: (err: unknown) => void;
  /**
   * Makes each delivery's `webhook-id` unique to this trickle (default: random per trickle). A seeded
   * simulator replays the same events after a restart; a real sender never reuses a message id for a
   * new delivery, so the gateway's persisted dedup must not see the second run as duplicates.
   */
  deliveryNamespace?: string;
}

export interface TrickleCounts {
  /** Deliveries attempted. */
  sent: number;
  /** Answered 2xx. */
  accepted: number;
  /** Answered otherwise. */
  rejected: number;
  /** No answer (network error, timeout) or the event could not be built. */
  failed: number;
  byEvent: Record<string, number>;
}

export interface Trickle {
  counts(): TrickleCounts;
  /** Resolves with the final counts once the signal aborted and in-flight deliveries settled. */
  done: Promise<TrickleCounts>;
}

function randomPractice(rng: Rng, dataset: Dataset, activated: boolean | undefined): string | undefined {
  for (let tries = 0; tries < 32; tries++) {
    const p = dataset.practice(Math.floor(rng() * dataset.countPractices()));
    if (activated === undefined || (p.activatedAt !== null) === activated) return p.practiceId;
  }
  return undefined;
}

/**
 * Chooses and (with mutate) performs the next event: 50 % new order (70 % of them on the order-placed
 * endpoint, 30 % as order.placed on practice-update), 30 % practice update, 13 % activation, 7 % new practice.
 */
export function nextEvent(rng: Rng, dataset: Dataset, mutate?: TrickleOptions['mutate']): WebhookDelivery {
  const roll = rng();
  const anyPractice = () => practiceIdOf(Math.floor(rng() * dataset.countPractices()));
  if (roll < 0.5) {
    const orderId = mutate
      ? (mutate({ orders: { insert: 1 } }).orders.inserted[0] as string)
      : dataset.order(Math.floor(rng() * dataset.countOrders())).order_id;
    return rng() < 0.7 ? orderPlacedEvent(dataset, orderId) : orderPlacedUpdateEvent(dataset, orderId);
  }
  if (roll >= 0.93) {
    const practiceId = mutate
      ? (mutate({ practices: { insert: 1 } }).practices.inserted[0] as string)
      : anyPractice();
    return practiceCreatedEvent(dataset, practiceId);
  }
  if (roll >= 0.8) {
    // with mutate: activate a practice that is not active yet; without: re-describe an active one
    const practiceId = randomPractice(rng, dataset, mutate === undefined);
    if (practiceId !== undefined) {
      mutate?.({ practices: { activate: [practiceId] } });
      return practiceActivatedEvent(dataset, practiceId);
    }
  }
  const practiceId = anyPractice();
  mutate?.({ practices: { update: [practiceId] } });
  return practiceUpdatedEvent(dataset, practiceId);
}

export function createTrickle(options: TrickleOptions): Trickle {
  const { sender, dataset, mutate, signal } = options;
  if (!(options.ratePerSec > 0)) throw new ValidationError('ratePerSec must be > 0');
  const rng = rngFor(options.seed ?? dataset.seed, Stream.trickle);
  const maxInFlight = options.maxInFlight ?? 16;
  const intervalMs = 1000 / options.ratePerSec;
  const counts: TrickleCounts = { sent: 0, accepted: 0, rejected: 0, failed: 0, byEvent: {} };
  const inFlight = new Set<Promise<void>>();
  const namespace = options.deliveryNamespace ?? randomBytes(9).toString('base64url');
  const uniqueId = (k: number, id: string): string =>
    `msg_${createHash('sha256').update(`${namespace}:${k}:${id}`).digest('base64url').slice(0, 27)}`;

  const deliver = async (delivery: WebhookDelivery): Promise<void> => {
    try {
      const [attempt] = await sender.send(delivery);
      if (attempt && attempt.status >= 200 && attempt.status < 300) counts.accepted++;
      else counts.rejected++;
    } catch (err) {
      counts.failed++;
      options.onError?.(err);
    }
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (signal.aborted || ms <= 0) return resolve();
      const timer = setTimeout(finish, ms);
      function finish(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        resolve();
      }
      signal.addEventListener('abort', finish, { once: true });
    });

  const run = async (): Promise<TrickleCounts> => {
    const started = performance.now();
    for (let k = 0; !signal.aborted; k++) {
      await wait(started + k * intervalMs - performance.now());
      if (signal.aborted) break;
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      let delivery: WebhookDelivery;
      try {
        const event = nextEvent(rng, dataset, mutate);
        delivery = { ...event, id: uniqueId(k, event.id) };
      } catch (err) {
        counts.failed++;
        options.onError?.(
          new TributaryError('TRICKLE_EVENT_FAILED', `could not build an event: ${errorMessage(err)}`, {
            cause: err,
          }),
        );
        continue;
      }
      counts.sent++;
      counts.byEvent[delivery.event] = (counts.byEvent[delivery.event] ?? 0) + 1;
      const p: Promise<void> = deliver(delivery).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    return { ...counts, byEvent: { ...counts.byEvent } };
  };

  return { counts: () => ({ ...counts, byEvent: { ...counts.byEvent } }), done: run() };
}
