import type { RecordObserved } from '@tributary/contracts';
import { obj } from '../../core/json';
import { unwrapPayload } from './records';

/** A delivery already projected: its event, or its event and first receipt (webhook-store.ts). */
export type Known = string | { event: string; receivedAt: string };

/** `practice.created` describes the first version of a practice: it never overwrites one we have. */
const INSERT_ONLY_EVENTS = new Set(['practice.created']);

/** The event the gateway keeps with the record (`payload.webhook.event`), or null. */
export function webhookEventOf(payload: unknown): string | null {
  const event = obj(obj(payload)?.webhook)?.event;
  return typeof event === 'string' ? event : null;
}

/**
 * How a webhook observation is written, so that a replayed or late older delivery never overwrites
 * a newer version (pure):
 *  - its event: named by the payload (the delivery body, or the gateway's `payload.webhook.event`),
 *    else by the delivery already projected. It is read from the record itself first, because
 *    curagenesis.webhooks.v1 is projected apart and may not have stored the delivery yet;
 *  - `practice.created` only inserts: it never overwrites a practice we have, whatever its time;
 *  - the version is the payload's own time (`sourceUpdatedAt`: activatedAt, orderDate, updatedAt)
 *    where it has one; otherwise the delivery's FIRST receipt: a delivery received again (a replay
 *    after the gateway's dedup window, a sender's late retry) is as old as it was the first time, so
 *    it cannot overwrite what was written since (and ties with itself: unchanged).
 */
export function webhookVersion(
  event: RecordObserved,
  namedEvent: string | null,
  known: ReadonlyMap<string, Known>,
): { versionAt: string; insertOnly: boolean } {
  const delivery = event.deliveryId ? known.get(event.deliveryId) : undefined;
  const knownEvent = delivery === undefined ? null : typeof delivery === 'string' ? delivery : delivery.event;
  const name = namedEvent ?? webhookEventOf(event.payload) ?? knownEvent;
  const insertOnly = name !== null && INSERT_ONLY_EVENTS.has(name);
  if (event.sourceUpdatedAt) return { versionAt: event.sourceUpdatedAt, insertOnly };
  const firstReceipt = typeof delivery === 'object' ? delivery.receivedAt : null;
  const versionAt =
    firstReceipt !== null && Date.parse(firstReceipt) < Date.parse(event.observedAt)
      ? firstReceipt
      : event.observedAt;
  return { versionAt, insertOnly };
}

/**
 * Whether webhookVersion needs the delivery already projected to version `event`: only for a webhook
 * observation without its own time (`sourceUpdatedAt`) or whose payload does not name its event. An
 * order.placed carries both, so a burst of orders costs no lookup of their deliveries.
 */
export function needsKnownDelivery(event: RecordObserved): boolean {
  if (event.origin !== 'webhook' || !event.deliveryId) return false;
  if (!event.sourceUpdatedAt) return true;
  return (unwrapPayload(event.payload).event ?? webhookEventOf(event.payload)) === null;
}
