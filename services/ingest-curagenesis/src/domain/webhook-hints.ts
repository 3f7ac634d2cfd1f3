import {
  parseWebhookBody,
  type OrderPlacedBody,
  type PracticeUpdateBody,
  type WebhookReceived,
} from '@tributary/contracts';
import type { HintTarget } from '@tributary/sync';

/**
 * The records a verified CuraGenesis delivery names, to re-fetch (ADR 0026; pure): the practice of a
 * practice event, the order of an order event and, for an order-placed body that names it, the
 * practice too (its `totalOrders` moved). An unknown or unreadable event names nothing.
 */
export function curagenesisHintTargets(delivery: WebhookReceived): HintTarget<'curagenesis'>[] {
  const parsed = parseWebhookBody(delivery.endpoint, delivery.body);
  if (!parsed.ok || !parsed.known) return [];
  const at = { deliveryId: delivery.deliveryId, receivedAt: delivery.receivedAt, removal: false };
  if (delivery.endpoint === 'order-placed') {
    const value = parsed.value as OrderPlacedBody;
    const targets: HintTarget<'curagenesis'>[] = [{ ...at, entity: 'orders', id: String(value.order.id) }];
    const practiceId = value.order.practiceId;
    if (practiceId !== null && practiceId !== undefined)
      targets.push({ ...at, entity: 'practices', id: String(practiceId) });
    return targets;
  }
  const value = parsed.value as PracticeUpdateBody;
  if (value.event === 'order.placed') return [{ ...at, entity: 'orders', id: String(value.data.orderId) }];
  return [{ ...at, entity: 'practices', id: String(value.data.practiceId) }];
}
