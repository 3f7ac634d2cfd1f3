import type { WebhookReceived } from '@tributary/contracts';
import { planCuragenesis } from '../src/projections/curagenesis/plan';
import { freshEffects, planDeliveries } from '../src/projections/curagenesis/webhook-plan';
import { observed } from './observed';

let n = 0;
const order = (payload: Record<string, unknown>, observedAt: string, deliveryId: string | null = null) =>
  observed('curagenesis', 'orders', String(payload.order_id ?? payload.id), payload, {
    observedAt,
    deliveryId,
  });
const polled = (id: string, amount: number, items?: unknown[]) => ({
  order_id: id,
  practice_id: 'PR-1',
  total_amount: amount,
  ...(items ? { items } : {}),
});

describe('planCuragenesis, versions', () => {
  it('when the same record comes twice, then it is written once and the copy counts as unchanged', () => {
    const plan = planCuragenesis('orders', [
      order(polled('O1', 10), '2026-01-01T00:00:01Z'),
      order(polled('O1', 10), '2026-01-01T00:00:01Z'),
    ]);
    expect(plan.runs.flatMap((r) => r.writes.map((w) => w.key))).toEqual(['O1']);
    expect(plan.superseded).toEqual([{ syncId: 's1' }]);
  });

  it('when an older version follows a newer one, then the newer is written, with the newer lines', () => {
    const plan = planCuragenesis('orders', [
      order(polled('O2', 20, [{ sku: 'NEW', quantity: 2 }]), '2026-01-01T00:00:02Z'),
      order(polled('O2', 10, [{ sku: 'OLD', quantity: 1 }]), '2026-01-01T00:00:01Z'),
    ]);
    expect(plan.runs.flatMap((r) => r.writes.map((w) => w.row.total_amount))).toEqual([20]);
    expect(plan.itemSets.map((s) => s.items.map((i) => i.sku))).toEqual([['NEW']]);
  });

  it('when a record cannot be stored, then it fails with RECORD_MALFORMED naming the field', () => {
    const plan = planCuragenesis('orders', [order(polled('O3', 'lots' as never), '2026-01-01T00:00:01Z')]);
    expect(plan.failures.map((f) => [f.error.code, f.error.message])).toEqual([
      ['RECORD_MALFORMED', expect.stringMatching(/^malformed orders record O3: total_amount: "lots"/)],
    ]);
  });
});

function delivery(deliveryId: string, body: Record<string, unknown>, receivedAt: string) {
  const value: WebhookReceived = {
    type: 'WebhookReceived',
    version: 1,
    deliveryId,
    receivedAt,
    endpoint: 'order-placed',
    event: 'order.placed',
    known: true,
    signatureScheme: 'hmac-sha256-hex',
    webhookTimestamp: null,
    body,
  };
  return { offset: String(++n), value };
}
const placed = (id: string, sku: string) => ({
  eventType: 'order.placed',
  order: { id, practiceId: 'PR-1', totalAmount: 5, items: [{ sku, quantity: 1, unitPrice: 5 }] },
});

describe('planDeliveries', () => {
  it('when the same delivery comes twice, then it is planned once', () => {
    const plan = planDeliveries([
      delivery('d1', placed('O1', 'A'), '2026-01-01T00:00:01Z'),
      delivery('d1', placed('O1', 'A'), '2026-01-01T00:00:01Z'),
    ]);
    expect(plan.deliveries.map((d) => d.row.delivery_id)).toEqual(['d1']);
    expect(plan.failures).toEqual([]);
  });

  it('when deliveries were stored before (a replay), then they announce nothing', () => {
    const plan = planDeliveries([delivery('d2', placed('O2', 'A'), '2026-01-01T00:00:01Z')]);
    expect(freshEffects(plan, new Set())).toEqual({ fresh: 0, notifications: [] });
    const fresh = freshEffects(plan, new Set(['d2']));
    expect(fresh.fresh).toBe(1);
    expect(fresh.notifications.map((d) => d.dedupeKey)).toEqual(['order_placed:O2']);
  });
});
