import type { WebhookReceived } from '@tributary/contracts';
import { curagenesisHintTargets } from '../src/domain/webhook-hints';

const base: Omit<WebhookReceived, 'endpoint' | 'event' | 'body'> = {
  type: 'WebhookReceived',
  version: 1,
  deliveryId: 'd1',
  receivedAt: '2026-01-01T00:00:00.000Z',
  known: true,
  signatureScheme: 'hmac-sha256-hex',
  webhookTimestamp: null,
};
const at = { deliveryId: 'd1', receivedAt: '2026-01-01T00:00:00.000Z', removal: false };

describe('curagenesisHintTargets', () => {
  it('when a practice event arrives, then its practice is the record to re-fetch', () => {
    const d: WebhookReceived = {
      ...base,
      endpoint: 'practice-update',
      event: 'practice.updated',
      body: { event: 'practice.updated', data: { practiceId: 'PR-000001', totalOrders: 3 } },
    };
    expect(curagenesisHintTargets(d)).toEqual([{ ...at, entity: 'practices', id: 'PR-000001' }]);
  });

  it('when an order-placed body names its practice, then the order and the practice are re-fetched', () => {
    const d: WebhookReceived = {
      ...base,
      endpoint: 'order-placed',
      event: 'order.placed',
      body: { eventType: 'order.placed', order: { id: 'ORD-9', practiceId: 'PR-000002' } },
    };
    expect(curagenesisHintTargets(d)).toEqual([
      { ...at, entity: 'orders', id: 'ORD-9' },
      { ...at, entity: 'practices', id: 'PR-000002' },
    ]);
  });

  it('when the short order.placed form or an unknown event arrives, then the order or nothing is named', () => {
    const placed: WebhookReceived = {
      ...base,
      endpoint: 'practice-update',
      event: 'order.placed',
      body: { event: 'order.placed', data: { orderId: 77 } },
    };
    expect(curagenesisHintTargets(placed)).toEqual([{ ...at, entity: 'orders', id: '77' }]);
    const unknown: WebhookReceived = {
      ...base,
      endpoint: 'practice-update',
      event: 'practice.archived',
      known: false,
      body: { event: 'practice.archived', data: { practiceId: 'PR-1' } },
    };
    expect(curagenesisHintTargets(unknown)).toEqual([]);
  });
});
