import {
  entityTopic,
  recordId,
  TOPICS,
  uuidV5,
  type CuragenesisEntity,
  type KnownWebhookEvent,
  type OrderPlacedBody,
  type ParsedWebhookBody,
  type PracticeUpdateBody,
  type RecordObserved,
  type RepcardWebhookReceived,
  type SignatureScheme,
  type WebhookEndpoint,
  type WebhookReceived,
} from '@tributary/contracts';
import { toInstant } from './instant';

/** A delivery that passed its signature and its schema, ready to become events. */
export interface VerifiedDelivery {
  deliveryId: string;
  endpoint: WebhookEndpoint;
  /** Receive time, ISO. */
  receivedAt: string;
  signatureScheme: SignatureScheme;
  /** The signed Standard Webhooks timestamp, ISO; null for the hex scheme. */
  webhookTimestamp: string | null;
  /** The JSON body exactly as parsed (JSON.parse never gives undefined). */
  body: WebhookReceived['body'];
  parsed: Extract<ParsedWebhookBody, { ok: true }>;
}

/** A record for one transaction: topic, message key and value (see withContracts). */
export interface OutgoingEvent {
  topic: string;
  key: string;
  value: WebhookReceived | RecordObserved | RepcardWebhookReceived;
}

/** Namespace of the event ids of webhook RecordObserved events (UUID v5 of delivery, entity, id). */
export const WEBHOOK_EVENT_NAMESPACE = 'a3d7c1e2-5b84-4f19-9e6d-2c0b7f4a8e31';

/** Polled practice fields (libs/contracts curagenesis-records.ts) a webhook may carry. */
const PRACTICE_FIELDS = [
  'practiceId',
  'userId',
  'curaIntakeId',
  'specialty',
  'state',
  'activatedAt',
  'activatedAtIso',
  'totalOrders',
  'salesRep',
] as const;

interface Observation {
  entity: CuragenesisEntity;
  payload: Record<string, unknown>;
  sourceUpdatedAt: string | null;
}

/** The fields of `source` that are present (absent stays absent: a webhook is a partial record). */
function present(
  source: Record<string, unknown>,
  mapping: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(mapping)) if (source[from] !== undefined) out[to] = source[from];
  return out;
}

const samePracticeFields = Object.fromEntries(PRACTICE_FIELDS.map((f) => [f, f]));

/** practice.created / practice.updated / practice.activated → a practice record, as polled. */
function practiceObservation(event: KnownWebhookEvent, data: Record<string, unknown>): Observation {
  const payload = present(data, samePracticeFields);
  let sourceUpdatedAt: string | null = null;
  // The payload's own time, when it carries one (the CRM's bodies do not; a body that does is ordered by it).
  const updatedAt = toInstant(data.updatedAt);
  if (updatedAt) {
    payload.updatedAt = updatedAt.iso;
    sourceUpdatedAt = updatedAt.iso;
  }
  if (event === 'practice.activated') {
    // The poll gives activatedAt as epoch ms plus activatedAtIso; the webhook either one (unconfirmed).
    const at = toInstant(data.activatedAt);
    if (at) {
      payload.activatedAt = at.epochMs;
      payload.activatedAtIso = at.iso;
      sourceUpdatedAt ??= at.iso;
    }
  }
  return { entity: 'practices', payload: { ...payload, webhook: { event, data } }, sourceUpdatedAt };
}

/** order.placed, short form of the practice-update endpoint: `{userId, orderId, orderAmount, orderDate}`. */
function shortOrderObservation(data: Record<string, unknown>): Observation {
  const payload = present(data, {
    orderId: 'order_id',
    practiceId: 'practice_id',
    orderAmount: 'total_amount',
    orderDate: 'order_date',
    userId: 'user_id',
  });
  return orderObservation(payload, data.orderDate, { event: 'order.placed', data });
}

/** order.placed of the order-placed endpoint: the whole order with its items. */
function fullOrderObservation(order: OrderPlacedBody['order']): Observation {
  const payload = present(order, {
    id: 'order_id',
    practiceId: 'practice_id',
    totalAmount: 'total_amount',
    orderDate: 'order_date',
    userId: 'user_id',
    practiceName: 'practice_name',
    status: 'status',
    items: 'items',
  });
  return orderObservation(payload, order.orderDate, { event: 'order.placed', data: order });
}

function orderObservation(
  payload: Record<string, unknown>,
  orderDate: unknown,
  webhook: Record<string, unknown>,
): Observation {
  const at = toInstant(orderDate);
  if (at) payload.order_date_epoch_ms = at.epochMs;
  return { entity: 'orders', payload: { ...payload, webhook }, sourceUpdatedAt: at?.iso ?? null };
}

/** What a known event says about CuraGenesis records (unknown events say nothing: they are only stored). */
export function observationsOf(endpoint: WebhookEndpoint, parsed: VerifiedDelivery['parsed']): Observation[] {
  if (!parsed.known) return [];
  switch (endpoint) {
    case 'practice-update': {
      const body = parsed.value as PracticeUpdateBody;
      switch (body.event) {
        case 'practice.created':
        case 'practice.updated':
        case 'practice.activated':
          return [practiceObservation(body.event, body.data)];
        case 'order.placed':
          return [shortOrderObservation(body.data)];
        default: {
          const never: never = body;
          return never;
        }
      }
    }
    case 'order-placed':
      return [fullOrderObservation((parsed.value as OrderPlacedBody).order)];
    default: {
      const never: never = endpoint;
      return never;
    }
  }
}

/**
 * The events of one delivery, for ONE Kafka transaction: its WebhookReceived on
 * `curagenesis.webhooks.v1` (keyed by delivery id, always, known or not), then for a known event the
 * RecordObserved change event of the practice or order it describes (keyed by record id,
 * origin webhook, observedAt = receive time, sourceUpdatedAt = the event's own time when it has one).
 * Event ids derive from the delivery, so building the events of one delivery twice agrees.
 */
export function deliveryEvents(delivery: VerifiedDelivery): OutgoingEvent[] {
  const { deliveryId, endpoint, receivedAt, parsed } = delivery;
  const received: WebhookReceived = {
    type: 'WebhookReceived',
    version: 1,
    deliveryId,
    receivedAt,
    endpoint,
    event: parsed.event,
    known: parsed.known,
    signatureScheme: delivery.signatureScheme,
    webhookTimestamp: delivery.webhookTimestamp,
    body: delivery.body,
  };
  const events: OutgoingEvent[] = [{ topic: TOPICS.curagenesisWebhooks, key: deliveryId, value: received }];
  for (const { entity, payload, sourceUpdatedAt } of observationsOf(endpoint, parsed)) {
    const id = recordId('curagenesis', entity, payload);
    const observed: RecordObserved = {
      type: 'RecordObserved',
      version: 2,
      eventId: uuidV5(`${deliveryId}/${entity}/${id}`, WEBHOOK_EVENT_NAMESPACE),
      source: 'curagenesis',
      entity,
      id,
      payload,
      observedAt: receivedAt,
      sourceUpdatedAt,
      syncId: null,
      origin: 'webhook',
      deliveryId,
    };
    events.push({ topic: entityTopic('curagenesis', entity), key: id, value: observed });
  }
  return events;
}
