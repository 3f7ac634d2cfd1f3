import type { RecordObserved } from '@tributary/contracts';
import { normaliseRecord, unwrapPayload } from '../src/projections/curagenesis/records';

function event(
  entity: 'practices' | 'orders',
  payload: object,
  deliveryId: string | null = null,
): RecordObserved {
  return {
    type: 'RecordObserved',
    version: 2,
    eventId: '00000000-0000-4000-8000-000000000001',
    source: 'curagenesis',
    entity,
    id: 'X-1',
    payload,
    observedAt: '2026-01-01T00:00:00.000Z',
    sourceUpdatedAt: null,
    syncId: deliveryId ? null : 's',
    origin: deliveryId ? 'webhook' : 'poll',
    deliveryId,
  };
}

const apiPractice = {
  practiceId: 'PR-000001',
  userId: 'USR-000001',
  curaIntakeId: null,
  specialty: null,
  state: 'TX',
  activatedAt: 1_700_000_000_000,
  activatedAtIso: '2023-11-14T22:13:20.000Z',
  totalOrders: 3,
  salesRep: 'Ann Rep',
  updatedAt: '2025-01-01T00:00:00.000Z',
};
const apiOrder = {
  order_id: 'ORD-0000001',
  practice_id: 'PR-000001',
  rep_id: 'REP-001',
  total_amount: 12.5,
  order_date: '2025-01-01T10:00:00.000Z',
  order_date_epoch_ms: 1_735_725_600_000,
  invoice_id: 'INV-0000001',
  invoice_total_due: 0,
  invoice_due_date: '2025-01-31',
  paid: true,
  cost_of_goods: 5,
  commission_amount: 1.25,
};

describe('normaliseRecord', () => {
  it('when a polled practice is well formed, then every column is mapped', () => {
    const n = normaliseRecord('practices', event('practices', apiPractice));
    expect(n).toEqual({
      ok: true,
      value: expect.objectContaining({
        key: 'PR-000001',
        items: null,
        row: {
          practice_id: 'PR-000001',
          user_id: 'USR-000001',
          cura_intake_id: null,
          state: 'TX',
          specialty: null,
          sales_rep: 'Ann Rep',
          total_orders: 3,
          activated_at: '2023-11-14T22:13:20.000Z',
          source_updated_at: '2025-01-01T00:00:00.000Z',
          last_source: 'poll',
          last_delivery_id: null,
        },
      }),
    });
  });

  it('when a polled order is well formed, then every column is mapped', () => {
    const n = normaliseRecord('orders', event('orders', apiOrder));
    expect(n.ok && n.value.row).toEqual({
      order_id: 'ORD-0000001',
      practice_id: 'PR-000001',
      rep_id: 'REP-001',
      total_amount: 12.5,
      order_date: '2025-01-01T10:00:00.000Z',
      invoice_id: 'INV-0000001',
      invoice_total_due: 0,
      invoice_due_date: '2025-01-31',
      paid: true,
      cost_of_goods: 5,
      commission_amount: 1.25,
      last_source: 'poll',
      last_delivery_id: null,
    });
  });

  it.each([
    ['practices', { activatedAt: 'not-a-timestamp' }, /activatedAt/],
    ['practices', { totalOrders: 'many' }, /totalOrders/],
    ['practices', { state: 42 }, /state/],
    ['practices', { updatedAt: 'yesterday' }, /updatedAt/],
    ['practices', { practiceId: undefined }, /no practice_id/],
    ['orders', { total_amount: 'twelve dollars' }, /total_amount/],
    ['orders', { order_date: 'not-a-date', order_date_epoch_ms: null }, /order_date/],
    ['orders', { paid: 'yes' }, /paid/],
    ['orders', { practice_id: null }, /practice_id: an order must name its practice/],
  ] as const)('when a %s record carries %j, then it is malformed', (entity, change, message) => {
    const record = { ...(entity === 'practices' ? apiPractice : apiOrder), ...change };
    const n = normaliseRecord(entity, event(entity, JSON.parse(JSON.stringify(record))));
    expect(n.ok).toBe(false);
    expect(!n.ok && n.error).toMatch(message);
  });

  it('when a webhook order is the order-placed shape, then it maps with its lines and only the columns it carries', () => {
    const order = {
      id: 'ORD-9',
      userId: 'USR-1',
      practiceId: 'PR-1',
      practiceName: 'Clinic',
      orderDate: '2026-01-01T00:00:00Z',
      totalAmount: '30.00',
      status: 'placed',
      items: [{ sku: 'A', productName: 'Alpha', quantity: 3, unitPrice: 10 }],
    };
    const n = normaliseRecord('orders', event('orders', { eventType: 'order.placed', order }, 'd-1'));
    expect(n.ok && n.value).toMatchObject({
      key: 'ORD-9',
      event: 'order.placed',
      record: order,
      row: {
        order_id: 'ORD-9',
        user_id: 'USR-1',
        practice_id: 'PR-1',
        total_amount: 30,
        order_date: '2026-01-01T00:00:00.000Z',
        status: 'placed',
        last_source: 'webhook',
        last_delivery_id: 'd-1',
      },
      items: [{ line_no: 1, sku: 'A', product_name: 'Alpha', quantity: 3, unit_price: 10 }],
    });
    expect(n.ok && Object.keys(n.value.row)).not.toContain('paid');
  });

  it('when a webhook order names neither practice nor status, then those columns are left out (not nulled)', () => {
    const n = normaliseRecord(
      'orders',
      event(
        'orders',
        { userId: 'USR-1', orderId: 'ORD-10', orderAmount: 5, orderDate: '2026-01-01T00:00:00Z' },
        'd-2',
      ),
    );
    expect(n.ok && Object.keys(n.value.row).sort()).toEqual([
      'last_delivery_id',
      'last_source',
      'order_date',
      'order_id',
      'total_amount',
      'user_id',
    ]);
  });
});

describe('unwrapPayload', () => {
  it('when the payload is a practice-update body, then the data and its event come out', () => {
    expect(unwrapPayload({ event: 'practice.created', data: { practiceId: 'PR-1' } })).toEqual({
      record: { practiceId: 'PR-1' },
      event: 'practice.created',
    });
  });

  it('when the payload is a bare record, then it is the record and no event is known', () => {
    expect(unwrapPayload({ practiceId: 'PR-1' })).toEqual({ record: { practiceId: 'PR-1' }, event: null });
  });
});
