import { parseWebhookBody } from '@tributary/contracts';

const practice = {
  userId: 7,
  practiceId: 'pr_1',
  totalOrders: 3,
  state: 'UT',
  specialty: null,
  salesRep: 'Kim',
};
const order = {
  id: 'ord_9',
  userId: 7,
  practiceId: 'pr_1',
  practiceName: 'Wasatch Wound Care',
  orderDate: '2024-05-17',
  totalAmount: 1250.5,
  status: 'placed',
  items: [{ sku: 'CG-100', productName: 'Graft 2x2', quantity: 2, unitPrice: 625.25 }],
};

describe('parseWebhookBody', () => {
  it.each([
    ['practice.created', practice],
    ['practice.updated', { practiceId: 42 }],
    ['order.placed', { userId: 7, orderId: 'ord_9', orderAmount: '1250.50', orderDate: '2024-05-17' }],
    ['practice.activated', { userId: 7, practiceId: 'pr_1', activatedAt: 1715990400000 }],
  ])('when practice-update receives %s, then it is parsed as known', (event, data) => {
    const body = { event, data };
    expect(parseWebhookBody('practice-update', body)).toEqual({ ok: true, event, known: true, value: body });
  });

  it('when order-placed receives an order, then it is parsed as known with its items', () => {
    const body = { eventType: 'order.placed', order };
    expect(parseWebhookBody('order-placed', body)).toEqual({
      ok: true,
      event: 'order.placed',
      known: true,
      value: body,
    });
  });

  it('when practice-update receives an unknown event, then it parses generically flagged unknown', () => {
    const body = { event: 'practice.archived', data: { anything: true } };
    expect(parseWebhookBody('practice-update', body)).toEqual({
      ok: true,
      event: 'practice.archived',
      known: false,
      value: body,
    });
  });

  it('when order-placed receives another eventType, then it parses generically flagged unknown', () => {
    const result = parseWebhookBody('order-placed', { eventType: 'order.refunded', order: { id: 1 } });
    expect(result).toMatchObject({ ok: true, event: 'order.refunded', known: false });
  });

  it('when practiceId is missing, then the failure names data.practiceId', () => {
    const { practiceId: _p, ...data } = practice;
    const result = parseWebhookBody('practice-update', { event: 'practice.updated', data });
    expect(result).toMatchObject({ ok: false, field: 'data.practiceId' });
  });

  it('when practice.activated lacks practiceId, then the failure names data.practiceId', () => {
    const result = parseWebhookBody('practice-update', { event: 'practice.activated', data: { userId: 1 } });
    expect(result).toMatchObject({ ok: false, field: 'data.practiceId' });
  });

  it('when order.placed lacks orderId, then the failure names data.orderId', () => {
    const result = parseWebhookBody('practice-update', { event: 'order.placed', data: { userId: 1 } });
    expect(result).toMatchObject({ ok: false, field: 'data.orderId' });
  });

  it('when the event is missing, then the failure names event', () => {
    expect(parseWebhookBody('practice-update', { data: practice })).toMatchObject({
      ok: false,
      field: 'event',
    });
  });

  it('when an order item has a non-numeric quantity, then the failure names its path', () => {
    const bad = { ...order, items: [{ sku: 'CG-100', quantity: { n: 2 } }] };
    const result = parseWebhookBody('order-placed', { eventType: 'order.placed', order: bad });
    expect(result).toMatchObject({ ok: false, field: 'order.items.0.quantity' });
  });

  it('when the body is not an object, then the failure names the root', () => {
    expect(parseWebhookBody('order-placed', 'hello')).toMatchObject({ ok: false, field: '(root)' });
  });
});
