import { parseWebhookBody, type WebhookReceived } from '@tributary/contracts';
import { ident, numeric, orNull, timestamp } from '../../core/converters';
import { obj } from '../../core/json';

/**
 * Pure reading of verified webhook deliveries (curagenesis.webhooks.v1): the delivery row, the
 * dashboard notification it announces (order.placed, practice.activated). An order's lines are the
 * orders projection's (the gateway publishes the order, lines included, to curagenesis.orders.v1).
 */

export interface DeliveryRow {
  delivery_id: string;
  endpoint: string;
  event: string;
  known: boolean;
  signature_scheme: string;
  webhook_timestamp: string | null;
  received_at: string;
  body: unknown;
}

export type NotificationKind = 'order_placed' | 'practice_activated';

export interface NotificationDraft {
  kind: NotificationKind;
  /** One notification per order placed / per practice activation, whatever the delivery. */
  dedupeKey: string;
  practiceId: string | null;
  /** Resolves the practice when the delivery names only the user (short order.placed). */
  userId: string | null;
  orderId: string | null;
  deliveryId: string;
  message: string;
}

export function deliveryRow(w: WebhookReceived): DeliveryRow {
  return {
    delivery_id: w.deliveryId,
    endpoint: w.endpoint,
    event: w.event,
    known: w.known,
    signature_scheme: w.signatureScheme,
    webhook_timestamp: w.webhookTimestamp,
    received_at: w.receivedAt,
    body: w.body,
  };
}

const asId = (v: unknown): string | null => orNull(ident, v) as string | null;
const asAmount = (v: unknown): number | null => orNull(numeric, v) as number | null;
const money = (n: number | null): string => (n === null ? '' : `: $${n.toFixed(2)}`);

/** The notification a delivery announces, or null (other events, unknown events, unreadable bodies). */
export function notificationOf(w: WebhookReceived): NotificationDraft | null {
  const parsed = parseWebhookBody(w.endpoint, w.body);
  if (!parsed.ok || !parsed.known) return null;
  const body = obj(parsed.value) ?? {};
  if (w.endpoint === 'order-placed') {
    const order = obj(body.order) ?? {};
    const orderId = asId(order.id);
    if (!orderId) return null;
    const practiceId = asId(order.practiceId);
    const name =
      typeof order.practiceName === 'string' && order.practiceName ? order.practiceName : practiceId;
    return {
      kind: 'order_placed',
      dedupeKey: `order_placed:${orderId}`,
      practiceId,
      userId: asId(order.userId),
      orderId,
      deliveryId: w.deliveryId,
      message: `New order ${orderId}${name ? ` from ${name}` : ''}${money(asAmount(order.totalAmount))}`,
    };
  }
  const data = obj(body.data) ?? {};
  if (parsed.event === 'order.placed') {
    const orderId = asId(data.orderId);
    if (!orderId) return null;
    return {
      kind: 'order_placed',
      dedupeKey: `order_placed:${orderId}`,
      practiceId: asId(data.practiceId),
      userId: asId(data.userId),
      orderId,
      deliveryId: w.deliveryId,
      message: `New order ${orderId}${money(asAmount(data.orderAmount))}`,
    };
  }
  if (parsed.event === 'practice.activated') {
    const practiceId = asId(data.practiceId);
    if (!practiceId) return null;
    const when = orNull(timestamp, data.activatedAt) as string | null;
    return {
      kind: 'practice_activated',
      dedupeKey: `practice_activated:${practiceId}:${when ?? ''}`,
      practiceId,
      userId: asId(data.userId),
      orderId: null,
      deliveryId: w.deliveryId,
      message: `Practice ${practiceId} was activated${when ? ` on ${when.slice(0, 10)}` : ''}`,
    };
  }
  return null;
}
