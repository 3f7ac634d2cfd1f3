import {
  contractFor,
  CuragenesisOrderSchema,
  CuragenesisPracticeSchema,
  parseWebhookBody,
  TOPICS,
  type RecordObserved,
  type WebhookEndpoint,
  type WebhookReceived,
} from '@tributary/contracts';
import {
  createDataset,
  orderPlacedEvent,
  orderPlacedUpdateEvent,
  practiceActivatedEvent,
  practiceCreatedEvent,
  practiceUpdatedEvent,
  type WebhookDelivery,
} from '../../../tools/sim-curagenesis/src';
import { deliveryEvents, type OutgoingEvent, type VerifiedDelivery } from '../src/domain/delivery-events';

const dataset = createDataset({ seed: 11, practices: 40, orders: 400 });
const activated = [...dataset.iteratePractices()].find((p) => p.activatedAt !== null)!;
const order = dataset.ordersOfPractice(activated.practiceId)[0]!;
const RECEIVED_AT = '2026-02-03T04:05:06.789Z';

function verified(endpoint: WebhookEndpoint, body: unknown, deliveryId = 'msg_test'): VerifiedDelivery {
  const parsed = parseWebhookBody(endpoint, body);
  if (!parsed.ok) throw new Error(`fixture does not parse: ${parsed.field}: ${parsed.message}`);
  return {
    deliveryId,
    endpoint,
    receivedAt: RECEIVED_AT,
    signatureScheme: 'standard-webhooks',
    webhookTimestamp: '2026-02-03T04:05:06.000Z',
    body: body as WebhookReceived['body'],
    parsed,
  };
}

function eventsOf(delivery: WebhookDelivery): OutgoingEvent[] {
  return deliveryEvents(verified(delivery.endpoint, delivery.body));
}

/** Every event passes its topic's contract (what the codec checks before encoding). */
function expectValid(events: OutgoingEvent[]): void {
  for (const e of events) expect(() => contractFor(e.topic).decode(e.value)).not.toThrow();
}

function observed(events: OutgoingEvent[]): RecordObserved {
  expect(events).toHaveLength(2);
  return events[1]!.value as RecordObserved;
}

describe('deliveryEvents', () => {
  it('when a delivery is known, then its WebhookReceived comes first, keyed by delivery id, with the body untouched', () => {
    const delivery = practiceUpdatedEvent(dataset, activated.practiceId);
    const [received] = eventsOf(delivery);
    expect(received).toEqual({
      topic: TOPICS.curagenesisWebhooks,
      key: 'msg_test',
      value: {
        type: 'WebhookReceived',
        version: 1,
        deliveryId: 'msg_test',
        receivedAt: RECEIVED_AT,
        endpoint: 'practice-update',
        event: 'practice.updated',
        known: true,
        signatureScheme: 'standard-webhooks',
        webhookTimestamp: '2026-02-03T04:05:06.000Z',
        body: delivery.body,
      },
    });
  });

  it.each([
    ['practice.created', () => practiceCreatedEvent(dataset, activated.practiceId)],
    ['practice.updated', () => practiceUpdatedEvent(dataset, activated.practiceId)],
  ])(
    'when %s arrives, then a practice RecordObserved shaped like a polled practice, without a source time',
    (_e, make) => {
      const delivery = make();
      const events = eventsOf(delivery);
      expectValid(events);
      const record = observed(events);
      expect(events[1]).toMatchObject({ topic: TOPICS.curagenesisPractices, key: activated.practiceId });
      expect(record).toMatchObject({
        source: 'curagenesis',
        entity: 'practices',
        id: activated.practiceId,
        observedAt: RECEIVED_AT,
        sourceUpdatedAt: null,
        syncId: null,
        origin: 'webhook',
        deliveryId: 'msg_test',
      });
      const data = (delivery.body as { data: Record<string, unknown> }).data;
      expect(record.payload).toEqual({ ...data, webhook: { event: delivery.event, data } });
      expect(CuragenesisPracticeSchema.safeParse(record.payload).success).toBe(true);
    },
  );

  it.each(['iso', 'epoch'] as const)(
    'when practice.activated carries activatedAt as %s, then the payload has it as epoch ms and ISO, and it is the source time',
    (format) => {
      const events = eventsOf(practiceActivatedEvent(dataset, activated.practiceId, format));
      expectValid(events);
      const record = observed(events);
      expect(record.sourceUpdatedAt).toBe(activated.activatedAtIso);
      expect(record.payload).toMatchObject({
        practiceId: activated.practiceId,
        userId: activated.userId,
        activatedAt: activated.activatedAt,
        activatedAtIso: activated.activatedAtIso,
      });
      expect(CuragenesisPracticeSchema.safeParse(record.payload).success).toBe(true);
    },
  );

  it('when practice.activated carries an unreadable time, then it travels as received, with no source time', () => {
    const body = { event: 'practice.activated', data: { practiceId: 'PR-1', activatedAt: 'soon' } };
    const record = observed(deliveryEvents(verified('practice-update', body)));
    expect(record.sourceUpdatedAt).toBeNull();
    expect(record.payload).toMatchObject({ activatedAt: 'soon' });
  });

  it('when order.placed arrives on practice-update, then an order RecordObserved with the polled field names', () => {
    const events = eventsOf(orderPlacedUpdateEvent(dataset, order.order_id));
    expectValid(events);
    const record = observed(events);
    expect(events[1]).toMatchObject({ topic: TOPICS.curagenesisOrders, key: order.order_id });
    expect(record).toMatchObject({ entity: 'orders', id: order.order_id, sourceUpdatedAt: order.order_date });
    expect(record.payload).toMatchObject({
      order_id: order.order_id,
      total_amount: order.total_amount,
      order_date: order.order_date,
      order_date_epoch_ms: order.order_date_epoch_ms,
      user_id: activated.userId,
      webhook: { event: 'order.placed' },
    });
    expect(CuragenesisOrderSchema.safeParse(record.payload).success).toBe(true);
  });

  it('when order.placed arrives on order-placed, then the order RecordObserved carries practice and items', () => {
    const delivery = orderPlacedEvent(dataset, order.order_id);
    const events = eventsOf(delivery);
    expectValid(events);
    const record = observed(events);
    expect(record).toMatchObject({ entity: 'orders', id: order.order_id, sourceUpdatedAt: order.order_date });
    expect(record.payload).toMatchObject({
      order_id: order.order_id,
      practice_id: activated.practiceId,
      total_amount: order.total_amount,
      order_date: order.order_date,
      order_date_epoch_ms: order.order_date_epoch_ms,
      status: 'placed',
      items: dataset.orderItems(order.order_id),
      webhook: { event: 'order.placed', data: (delivery.body as { order: unknown }).order },
    });
    expect(CuragenesisOrderSchema.safeParse(record.payload).success).toBe(true);
  });

  it.each([
    ['practice-update', { event: 'practice.archived', data: { practiceId: 'PR-1' } }],
    ['order-placed', { eventType: 'order.refunded', order: { id: 'ORD-1' } }],
  ] as const)(
    'when %s receives an unknown event, then only its WebhookReceived, flagged unknown',
    (endpoint, body) => {
      const events = deliveryEvents(verified(endpoint, body));
      expectValid(events);
      expect(events).toHaveLength(1);
      expect(events[0]!.value).toMatchObject({ type: 'WebhookReceived', known: false, body });
    },
  );

  it('when the same delivery is mapped twice, then the event ids agree; another delivery gets another id', () => {
    const body = practiceUpdatedEvent(dataset, activated.practiceId).body;
    const first = observed(deliveryEvents(verified('practice-update', body, 'msg_a')));
    const again = observed(deliveryEvents(verified('practice-update', body, 'msg_a')));
    const other = observed(deliveryEvents(verified('practice-update', body, 'msg_b')));
    expect(again.eventId).toBe(first.eventId);
    expect(other.eventId).not.toBe(first.eventId);
  });

  it('when the record id is a number, then the event id is its string and the payload keeps the number', () => {
    const record = observed(
      deliveryEvents(verified('practice-update', { event: 'practice.updated', data: { practiceId: 42 } })),
    );
    expect(record.id).toBe('42');
    expect(record.payload).toMatchObject({ practiceId: 42 });
  });
});
