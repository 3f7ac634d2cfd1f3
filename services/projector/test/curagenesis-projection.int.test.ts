import { join } from 'node:path';
import { Client, type Pool } from 'pg';
import { createPool, migrate, withTransaction } from '@tributary/db';
import { createTestDatabase, waitFor, type TestDatabase } from '@tributary/testkit';
import { TOPICS, type RecordObserved, type WebhookReceived } from '@tributary/contracts';
import { NOTIFY_CHANNELS } from '@tributary/read-model';
import { projectBatch, type ProjectedRecord as BatchMessage } from '../src/projections';

const NOTIFICATIONS_CHANNEL = NOTIFY_CHANNELS.notifications;

const MIGRATIONS = join(__dirname, '..', 'migrations');
let db: TestDatabase;
let pool: Pool;
let offset = 0;

type Entity = 'practices' | 'orders';
interface Origin {
  syncId?: string | null;
  deliveryId?: string | null;
}

function observed(
  entity: Entity,
  id: string,
  payload: object,
  at: string,
  origin: Origin = {},
): BatchMessage {
  const webhook = origin.deliveryId !== undefined && origin.deliveryId !== null;
  const value: RecordObserved = {
    type: 'RecordObserved',
    version: 2,
    eventId: `00000000-0000-4000-8000-${String(++offset).padStart(12, '0')}`,
    source: 'curagenesis',
    entity,
    id,
    payload,
    observedAt: at,
    sourceUpdatedAt: null,
    syncId: webhook ? null : (origin.syncId ?? 'cg-sync'),
    origin: webhook ? 'webhook' : 'poll',
    deliveryId: webhook ? origin.deliveryId! : null,
  };
  return { offset: String(offset), value };
}

function delivery(
  deliveryId: string,
  endpoint: WebhookReceived['endpoint'],
  body: Record<string, unknown>,
  at: string,
): BatchMessage {
  const event = String(body.event ?? body.eventType);
  const value: WebhookReceived = {
    type: 'WebhookReceived',
    version: 1,
    deliveryId,
    receivedAt: at,
    endpoint,
    event,
    known: true,
    signatureScheme: 'hmac-sha256-hex',
    webhookTimestamp: null,
    body,
  };
  return { offset: String(++offset), value };
}

const practice = (n: number, over: Record<string, unknown> = {}) => ({
  practiceId: `PR-${String(n).padStart(6, '0')}`,
  userId: `USR-${String(n).padStart(6, '0')}`,
  curaIntakeId: 'CI-00000001',
  specialty: 'Dermatology',
  state: 'TX',
  activatedAt: 1_700_000_000_000,
  activatedAtIso: new Date(1_700_000_000_000).toISOString(),
  totalOrders: 2,
  salesRep: 'Dana Rep',
  ...over,
});

const order = (n: number, practiceNo: number, amount: number, over: Record<string, unknown> = {}) => ({
  order_id: `ORD-${String(n).padStart(7, '0')}`,
  practice_id: `PR-${String(practiceNo).padStart(6, '0')}`,
  rep_id: 'REP-001',
  total_amount: amount,
  order_date: '2025-06-01T10:00:00.000Z',
  order_date_epoch_ms: Date.parse('2025-06-01T10:00:00.000Z'),
  invoice_id: `INV-${String(n).padStart(7, '0')}`,
  invoice_total_due: 0,
  invoice_due_date: '2025-07-01',
  paid: true,
  cost_of_goods: amount / 2,
  commission_amount: amount / 10,
  ...over,
});

async function apply(topic: string, messages: BatchMessage[]) {
  return withTransaction(pool, (c) => projectBatch(c, topic, 0, messages));
}
const practices = (m: BatchMessage[]) => apply(TOPICS.curagenesisPractices, m);
const orders = (m: BatchMessage[]) => apply(TOPICS.curagenesisOrders, m);
const webhooks = (m: BatchMessage[]) => apply(TOPICS.curagenesisWebhooks, m);

async function practiceRow(id: string) {
  const res = await pool.query(
    `SELECT practice_id, user_id, state, specialty, sales_rep, total_orders, activated_at, last_source, raw_data
     FROM curagenesis_practices WHERE practice_id = $1`,
    [id],
  );
  return res.rows[0];
}

beforeAll(async () => {
  db = await createTestDatabase('cgproj');
  pool = createPool(db.url);
  await migrate(pool, MIGRATIONS);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('CuraGenesis projection against PostgreSQL', () => {
  it('when a webhook update follows a poll, then the webhook wins on its columns and the polled columns it lacks are kept', async () => {
    await practices([observed('practices', 'PR-000001', practice(1), '2025-01-01T00:00:00Z')]);
    await practices([
      observed(
        'practices',
        'PR-000001',
        {
          userId: 'USR-000001',
          practiceId: 'PR-000001',
          totalOrders: 3,
          state: 'CA',
          specialty: null,
          salesRep: 'Dana Rep',
        },
        '2025-01-02T00:00:00Z',
        { deliveryId: 'd-1' },
      ),
    ]);
    const row = await practiceRow('PR-000001');
    expect(row).toMatchObject({
      state: 'CA',
      specialty: null,
      total_orders: 3,
      user_id: 'USR-000001',
      last_source: 'webhook',
    });
    expect((row.activated_at as Date).toISOString()).toBe(new Date(1_700_000_000_000).toISOString());
    expect(row.raw_data).toMatchObject({ curaIntakeId: 'CI-00000001', state: 'CA', totalOrders: 3 });
  });

  it('when a poll observed before a webhook update is projected after it, then the webhook state is kept', async () => {
    await practices([
      observed(
        'practices',
        'PR-000002',
        {
          userId: 'USR-000002',
          practiceId: 'PR-000002',
          totalOrders: 9,
          state: 'NY',
          specialty: 'Cardiology',
          salesRep: 'Sam Rep',
        },
        '2025-02-02T00:00:00Z',
        { deliveryId: 'd-2' },
      ),
    ]);
    await practices([
      observed(
        'practices',
        'PR-000002',
        practice(2, { state: 'OH', totalOrders: 8 }),
        '2025-02-01T00:00:00Z',
        { syncId: 'late-poll' },
      ),
    ]);
    expect(await practiceRow('PR-000002')).toMatchObject({
      state: 'NY',
      total_orders: 9,
      last_source: 'webhook',
    });
    const log = await pool.query(
      `SELECT records_inserted, records_updated, records_unchanged FROM sync_log WHERE sync_id = 'late-poll'`,
    );
    expect(log.rows[0]).toEqual({ records_inserted: 0, records_updated: 0, records_unchanged: 1 });
    // ... and a newer poll replaces the webhook's partial state with the whole record
    await practices([
      observed(
        'practices',
        'PR-000002',
        practice(2, { state: 'OH', totalOrders: 10 }),
        '2025-02-03T00:00:00Z',
      ),
    ]);
    const row = await practiceRow('PR-000002');
    expect(row).toMatchObject({ state: 'OH', total_orders: 10, last_source: 'poll' });
    expect(row.raw_data).toEqual(practice(2, { state: 'OH', totalOrders: 10 }));
    // ... and polling the same content again moves the version on but changes nothing
    await practices([
      observed(
        'practices',
        'PR-000002',
        practice(2, { state: 'OH', totalOrders: 10 }),
        '2025-02-04T00:00:00Z',
        { syncId: 'same-poll' },
      ),
    ]);
    const same = await pool.query(
      `SELECT records_inserted, records_updated, records_unchanged FROM sync_log WHERE sync_id = 'same-poll'`,
    );
    expect(same.rows[0]).toEqual({ records_inserted: 0, records_updated: 0, records_unchanged: 1 });
    const version = await pool.query(
      `SELECT version_at FROM curagenesis_practices WHERE practice_id = 'PR-000002'`,
    );
    expect((version.rows[0].version_at as Date).toISOString()).toBe('2025-02-04T00:00:00.000Z');
  });

  it('when practice.updated arrives before practice.created, then the practice ends in its updated state', async () => {
    const created = {
      userId: 'USR-000003',
      practiceId: 'PR-000003',
      totalOrders: 0,
      state: 'WA',
      specialty: 'Oncology',
      salesRep: 'Ann Rep',
    };
    const updated = { ...created, totalOrders: 4, state: 'OR', specialty: 'Pediatrics' };
    // the delivery of practice.created is known to the projector (curagenesis.webhooks.v1 came first)
    await webhooks([
      delivery(
        'd-3c',
        'practice-update',
        { event: 'practice.created', data: created },
        '2025-03-01T00:00:02Z',
      ),
    ]);
    await practices([
      observed('practices', 'PR-000003', updated, '2025-03-01T00:00:01Z', { deliveryId: 'd-3u' }),
    ]);
    await practices([
      observed('practices', 'PR-000003', created, '2025-03-01T00:00:02Z', { deliveryId: 'd-3c' }),
    ]);
    expect(await practiceRow('PR-000003')).toMatchObject({
      state: 'OR',
      specialty: 'Pediatrics',
      total_orders: 4,
    });

    // the payload names the event itself (delivery body as payload), both in one batch
    const c4 = { ...created, userId: 'USR-000004', practiceId: 'PR-000004' };
    const u4 = { ...c4, state: 'ID', totalOrders: 1 };
    await practices([
      observed('practices', 'PR-000004', { event: 'practice.updated', data: u4 }, '2025-03-02T00:00:01Z', {
        deliveryId: 'd-4u',
      }),
      observed('practices', 'PR-000004', { event: 'practice.created', data: c4 }, '2025-03-02T00:00:02Z', {
        deliveryId: 'd-4c',
      }),
    ]);
    expect(await practiceRow('PR-000004')).toMatchObject({ state: 'ID', total_orders: 1 });

    // in the usual order, created then updated, the update applies
    const c5 = { ...created, userId: 'USR-000005', practiceId: 'PR-000005' };
    await practices([
      observed('practices', 'PR-000005', { event: 'practice.created', data: c5 }, '2025-03-03T00:00:01Z', {
        deliveryId: 'd-5c',
      }),
    ]);
    await practices([
      observed(
        'practices',
        'PR-000005',
        { event: 'practice.updated', data: { ...c5, state: 'MT' } },
        '2025-03-03T00:00:02Z',
        { deliveryId: 'd-5u' },
      ),
    ]);
    expect(await practiceRow('PR-000005')).toMatchObject({ state: 'MT' });
  });

  it("when a delivery and the order it describes are projected, in either order, then the order's lines are written once, by the orders projection", async () => {
    // What the gateway publishes for an order-placed delivery, in one transaction: the delivery and the order.
    const placed = (n: number, deliveryId: string, receivedAt: string) => {
      const order = {
        id: `ORD-${String(n).padStart(7, '0')}`,
        userId: 'USR-000001',
        practiceId: 'PR-000001',
        orderDate: '2025-04-02T09:00:00.000Z',
        totalAmount: 12,
        status: 'placed',
        items: [
          { sku: `SKU-${n}-1`, productName: 'Gauze', quantity: 2, unitPrice: 5 },
          { sku: `SKU-${n}-2`, productName: 'Tape', quantity: 1, unitPrice: 2 },
        ],
      };
      const record = observed(
        'orders',
        order.id,
        {
          order_id: order.id,
          practice_id: order.practiceId,
          total_amount: order.totalAmount,
          order_date: order.orderDate,
          user_id: order.userId,
          status: order.status,
          items: order.items,
          order_date_epoch_ms: Date.parse(order.orderDate),
          webhook: { event: 'order.placed', data: order },
        },
        receivedAt,
        { deliveryId },
      );
      (record.value as RecordObserved).sourceUpdatedAt = order.orderDate;
      return {
        record,
        delivery: delivery(deliveryId, 'order-placed', { eventType: 'order.placed', order }, receivedAt),
      };
    };
    const lines = async (orderId: string) =>
      (
        await pool.query<{ id: string; sku: string; version_at: Date }>(
          `SELECT id::text, sku, version_at FROM curagenesis_order_items WHERE order_id = $1 ORDER BY line_no`,
          [orderId],
        )
      ).rows;
    const first = placed(911, 'd-911', '2025-04-02T09:00:05Z');
    await orders([first.record]);
    const written = await lines('ORD-0000911');
    expect(written.map((l) => l.sku)).toEqual(['SKU-911-1', 'SKU-911-2']);
    expect(written.map((l) => l.version_at.toISOString())).toEqual([
      '2025-04-02T09:00:00.000Z',
      '2025-04-02T09:00:00.000Z',
    ]);
    await webhooks([first.delivery]);
    expect(await lines('ORD-0000911')).toEqual(written); // the same rows: not deleted and written again

    const second = placed(912, 'd-912', '2025-04-02T09:00:06Z');
    await webhooks([second.delivery]);
    expect(await lines('ORD-0000912')).toEqual([]);
    await orders([second.record]);
    expect((await lines('ORD-0000912')).map((l) => l.sku)).toEqual(['SKU-912-1', 'SKU-912-2']);
  });

  it('when the same delivery arrives three times, then it is stored once and announces one notification', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => {
      if (n.channel === NOTIFICATIONS_CHANNEL && n.payload) heard.push(n.payload);
    });
    await listener.query(`LISTEN ${NOTIFICATIONS_CHANNEL}`);
    try {
      const body = {
        eventType: 'order.placed',
        order: {
          id: 'ORD-0000901',
          userId: 'USR-000001',
          practiceId: 'PR-000001',
          practiceName: 'Sunrise Clinic',
          orderDate: '2025-04-01T09:00:00.000Z',
          totalAmount: 250.5,
          status: 'placed',
          items: [
            { sku: 'SKU-1', productName: 'Gauze', quantity: 2, unitPrice: 100 },
            { sku: 'SKU-2', productName: 'Tape', quantity: 1, unitPrice: 50.5 },
          ],
        },
      };
      const d = () => delivery('d-dup', 'order-placed', body, '2025-04-01T09:00:01Z');
      await webhooks([d(), d()]);
      await webhooks([d()]);
      const deliveries = await pool.query(
        `SELECT endpoint, event, known FROM curagenesis_webhook_deliveries WHERE delivery_id = 'd-dup'`,
      );
      expect(deliveries.rows).toEqual([{ endpoint: 'order-placed', event: 'order.placed', known: true }]);
      const notes = await pool.query(
        `SELECT kind, practice_id, order_id, message, read_at FROM curagenesis_notifications WHERE order_id = 'ORD-0000901'`,
      );
      expect(notes.rows).toEqual([
        {
          kind: 'order_placed',
          practice_id: 'PR-000001',
          order_id: 'ORD-0000901',
          message: 'New order ORD-0000901 from Sunrise Clinic: $250.50',
          read_at: null,
        },
      ]);
      await waitFor(() => heard.length >= 1, { description: 'the notification NOTIFY' });
      expect(JSON.parse(heard[0]!)).toMatchObject({
        kind: 'order_placed',
        orderId: 'ORD-0000901',
        practiceId: 'PR-000001',
      });

      // the same order announced again through the other endpoint (another delivery): no second notification
      await webhooks([
        delivery(
          'd-dup-short',
          'practice-update',
          {
            event: 'order.placed',
            data: {
              userId: 'USR-000001',
              orderId: 'ORD-0000901',
              orderAmount: 250.5,
              orderDate: '2025-04-01T09:00:00.000Z',
            },
          },
          '2025-04-01T09:00:02Z',
        ),
      ]);
      const count = await pool.query(
        `SELECT count(*)::int AS n FROM curagenesis_notifications WHERE order_id = 'ORD-0000901'`,
      );
      expect(count.rows[0].n).toBe(1);
      expect(heard).toHaveLength(1);
    } finally {
      await listener.end();
    }
  });

  it('when one batch holds many deliveries, then each new order is announced once, in order, and a short order finds its practice by user', async () => {
    await practices([observed('practices', 'PR-000031', practice(31), '2025-07-01T00:00:00Z')]);
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const heard: { kind: string; orderId: string; practiceId: string | null }[] = [];
    listener.on('notification', (n) => {
      if (n.channel === NOTIFICATIONS_CHANNEL && n.payload) heard.push(JSON.parse(n.payload));
    });
    await listener.query(`LISTEN ${NOTIFICATIONS_CHANNEL}`);
    try {
      const full = (id: string) => ({
        eventType: 'order.placed',
        order: {
          id,
          practiceId: 'PR-000031',
          orderDate: '2025-07-02T09:00:00.000Z',
          totalAmount: 10,
          items: [],
        },
      });
      const short = (id: string) => ({
        event: 'order.placed',
        data: { userId: 'USR-000031', orderId: id, orderAmount: 5, orderDate: '2025-07-02T09:00:00.000Z' },
      });
      await webhooks([
        delivery('d-many-1', 'order-placed', full('ORD-0003101'), '2025-07-02T09:00:01Z'),
        delivery('d-many-2', 'practice-update', short('ORD-0003102'), '2025-07-02T09:00:02Z'),
        // the same order again through the other endpoint, in the same batch: not news
        delivery('d-many-3', 'practice-update', short('ORD-0003101'), '2025-07-02T09:00:03Z'),
        delivery('d-many-4', 'order-placed', full('ORD-0003103'), '2025-07-02T09:00:04Z'),
      ]);
      const notes = await pool.query(
        `SELECT order_id, practice_id, delivery_id FROM curagenesis_notifications WHERE order_id LIKE 'ORD-00031%' ORDER BY id`,
      );
      expect(notes.rows).toEqual([
        { order_id: 'ORD-0003101', practice_id: 'PR-000031', delivery_id: 'd-many-1' },
        { order_id: 'ORD-0003102', practice_id: 'PR-000031', delivery_id: 'd-many-2' },
        { order_id: 'ORD-0003103', practice_id: 'PR-000031', delivery_id: 'd-many-4' },
      ]);
      await waitFor(() => heard.length >= 3, { description: 'three notification NOTIFYs' });
      expect(heard.map((h) => [h.orderId, h.practiceId])).toEqual([
        ['ORD-0003101', 'PR-000031'],
        ['ORD-0003102', 'PR-000031'],
        ['ORD-0003103', 'PR-000031'],
      ]);
    } finally {
      await listener.end();
    }
  });

  it('when a practice is activated by webhook, then one practice_activated notification names it and its activation is merged in', async () => {
    await practices([
      observed(
        'practices',
        'PR-000006',
        practice(6, { activatedAt: null, activatedAtIso: null }),
        '2025-05-01T00:00:00Z',
      ),
    ]);
    const body = {
      event: 'practice.activated',
      data: { userId: 'USR-000006', practiceId: 'PR-000006', activatedAt: '2025-05-02T08:00:00.000Z' },
    };
    await webhooks([
      delivery('d-act', 'practice-update', body, '2025-05-02T08:00:01Z'),
      delivery('d-act', 'practice-update', body, '2025-05-02T08:00:01Z'),
    ]);
    await practices([
      observed('practices', 'PR-000006', body.data, '2025-05-02T08:00:01Z', { deliveryId: 'd-act' }),
    ]);
    const row = await practiceRow('PR-000006');
    expect((row.activated_at as Date).toISOString()).toBe('2025-05-02T08:00:00.000Z');
    expect(row).toMatchObject({ state: 'TX', specialty: 'Dermatology', sales_rep: 'Dana Rep' });
    const notes = await pool.query(
      `SELECT kind, message FROM curagenesis_notifications WHERE practice_id = 'PR-000006'`,
    );
    expect(notes.rows).toEqual([
      { kind: 'practice_activated', message: 'Practice PR-000006 was activated on 2025-05-02' },
    ]);
  });

  it('when an order arrives before its practice, then it keeps the practice id and is linked when the practice arrives', async () => {
    await orders([observed('orders', 'ORD-0000701', order(701, 7, 120), '2025-06-02T00:00:00Z')]);
    let o = await pool.query(
      `SELECT practice_id, practice_ref, total_amount::float8 AS amount, paid, invoice_due_date::text AS due FROM curagenesis_orders WHERE order_id = 'ORD-0000701'`,
    );
    expect(o.rows[0]).toEqual({
      practice_id: 'PR-000007',
      practice_ref: null,
      amount: 120,
      paid: true,
      due: '2025-07-01',
    });
    await practices([observed('practices', 'PR-000007', practice(7), '2025-06-03T00:00:00Z')]);
    o = await pool.query(
      `SELECT o.practice_ref = p.id AS linked FROM curagenesis_orders o JOIN curagenesis_practices p ON p.practice_id = 'PR-000007' WHERE o.order_id = 'ORD-0000701'`,
    );
    expect(o.rows[0].linked).toBe(true);

    // an order webhook naming only the user gets its practice through the user
    await orders([
      observed(
        'orders',
        'ORD-0000702',
        { userId: 'USR-000007', orderId: 'ORD-0000702', orderAmount: 80, orderDate: '2025-06-04T00:00:00Z' },
        '2025-06-04T00:00:01Z',
        { deliveryId: 'd-702' },
      ),
    ]);
    o = await pool.query(
      `SELECT o.practice_id, o.practice_ref = p.id AS linked, o.last_source FROM curagenesis_orders o JOIN curagenesis_practices p ON p.practice_id = 'PR-000007' WHERE o.order_id = 'ORD-0000702'`,
    );
    expect(o.rows[0]).toEqual({ practice_id: 'PR-000007', linked: true, last_source: 'webhook' });
  });

  it("when an order's newer version carries items, then its lines are replaced, and an older one changes nothing", async () => {
    const full = (items: unknown[]) => ({
      id: 'ORD-0000801',
      userId: 'USR-000001',
      practiceId: 'PR-000001',
      orderDate: '2025-07-01T00:00:00Z',
      totalAmount: 30,
      status: 'placed',
      items,
    });
    await orders([
      observed(
        'orders',
        'ORD-0000801',
        full([
          { sku: 'A', productName: 'Alpha', quantity: 1, unitPrice: 10 },
          { sku: 'B', productName: 'Beta', quantity: 2, unitPrice: 10 },
        ]),
        '2025-07-01T00:00:01Z',
        { deliveryId: 'd-801a' },
      ),
    ]);
    await orders([
      observed(
        'orders',
        'ORD-0000801',
        full([{ sku: 'C', productName: 'Gamma', quantity: 3, unitPrice: 10 }]),
        '2025-07-01T00:00:03Z',
        { deliveryId: 'd-801b' },
      ),
    ]);
    await orders([
      observed(
        'orders',
        'ORD-0000801',
        full([{ sku: 'Z', productName: 'Old', quantity: 9, unitPrice: 1 }]),
        '2025-07-01T00:00:02Z',
        { deliveryId: 'd-801c' },
      ),
    ]);
    // a poll of the order (no lines) keeps the lines and the webhook's status
    await orders([observed('orders', 'ORD-0000801', order(801, 1, 30), '2025-07-02T00:00:00Z')]);
    const items = await pool.query(
      `SELECT line_no, sku FROM curagenesis_order_items WHERE order_id = 'ORD-0000801' ORDER BY line_no`,
    );
    expect(items.rows).toEqual([{ line_no: 1, sku: 'C' }]);
    const o = await pool.query(
      `SELECT status, rep_id, last_source FROM curagenesis_orders WHERE order_id = 'ORD-0000801'`,
    );
    expect(o.rows[0]).toEqual({ status: 'placed', rep_id: 'REP-001', last_source: 'poll' });
  });

  it('when records are malformed, then each is reported and tallied as failed for its sync and the rest is projected', async () => {
    const res = await orders([
      observed(
        'orders',
        'ORD-0000901x',
        order(902, 1, 10, { total_amount: 'twelve dollars' }),
        '2025-08-01T00:00:00Z',
        { syncId: 'cg-bad' },
      ),
      observed('orders', 'ORD-0000903', order(903, 1, 10, { paid: 'yes' }), '2025-08-01T00:00:00Z', {
        syncId: 'cg-bad',
      }),
      observed('orders', 'ORD-0000904', order(904, 1, 10, { practice_id: null }), '2025-08-01T00:00:00Z', {
        syncId: 'cg-bad',
      }),
      observed(
        'orders',
        'ORD-0000905',
        order(905, 1, 10, { order_date: 'not-a-date', order_date_epoch_ms: null }),
        '2025-08-01T00:00:00Z',
        { syncId: 'cg-bad' },
      ),
      observed('orders', 'malformed:cg-bad:1-4', { practice_id: 'PR-000001' }, '2025-08-01T00:00:00Z', {
        syncId: 'cg-bad',
      }),
      observed('orders', 'ORD-0000906', order(906, 1, 10), '2025-08-01T00:00:00Z', { syncId: 'cg-bad' }),
    ]);
    expect(res.failures.map((f) => f.error.message)).toEqual([
      expect.stringMatching(/total_amount/),
      expect.stringMatching(/paid/),
      expect.stringMatching(/practice_id/),
      expect.stringMatching(/order_date/),
      expect.stringMatching(/no order_id/),
    ]);
    const p = await practices([
      observed(
        'practices',
        'PR-000010',
        practice(10, { activatedAt: 'not-a-timestamp' }),
        '2025-08-01T00:00:00Z',
        { syncId: 'cg-bad' },
      ),
      observed('practices', 'PR-000011', practice(11, { totalOrders: 'many' }), '2025-08-01T00:00:00Z', {
        syncId: 'cg-bad',
      }),
      observed('practices', 'PR-000012', practice(12, { state: 42 }), '2025-08-01T00:00:00Z', {
        syncId: 'cg-bad',
      }),
      observed('practices', 'PR-000013', practice(13, { updatedAt: 'yesterday' }), '2025-08-01T00:00:00Z', {
        syncId: 'cg-bad',
      }),
    ]);
    expect(p.failures).toHaveLength(4);
    const log = await pool.query(
      `SELECT entity_type, records_inserted, records_failed FROM sync_log WHERE sync_id = 'cg-bad' ORDER BY entity_type`,
    );
    expect(log.rows).toEqual([
      { entity_type: 'orders', records_inserted: 1, records_failed: 5 },
      { entity_type: 'practices', records_inserted: 0, records_failed: 4 },
    ]);
  });

  it('when the read models hold practices and orders, then the KPI views add them up', async () => {
    const s = (n: number) => `PR-KPI-${n}`;
    const kp = (n: number, state: string, rep: string, active: boolean) =>
      practice(0, {
        practiceId: s(n),
        userId: `USR-KPI-${n}`,
        state,
        salesRep: rep,
        activatedAt: active ? 1_700_000_000_000 : null,
        activatedAtIso: null,
      });
    const fresh = await createTestDatabase('cgkpi');
    const kpiPool = createPool(fresh.url);
    try {
      await migrate(kpiPool, MIGRATIONS);
      const run = (topic: string, m: BatchMessage[]) =>
        withTransaction(kpiPool, (c) => projectBatch(c, topic, 0, m));
      await run(TOPICS.curagenesisPractices, [
        observed('practices', s(1), kp(1, 'TX', 'Ann', true), '2025-01-01T00:00:00Z'),
        observed('practices', s(2), kp(2, 'TX', 'Bob', true), '2025-01-01T00:00:00Z'),
        observed('practices', s(3), kp(3, 'CA', 'Ann', false), '2025-01-01T00:00:00Z'),
      ]);
      const ko = (n: number, p: number, amount: number, paid: boolean) =>
        order(n, 0, amount, { practice_id: s(p), paid, invoice_total_due: paid ? 0 : amount });
      await run(TOPICS.curagenesisOrders, [
        observed('orders', 'ORD-0000001', ko(1, 1, 100.25, true), '2025-01-02T00:00:00Z'),
        observed('orders', 'ORD-0000002', ko(2, 1, 50, false), '2025-01-02T00:00:00Z'),
        observed('orders', 'ORD-0000003', ko(3, 2, 10, true), '2025-01-02T00:00:00Z'),
        observed(
          'orders',
          'ORD-0000004',
          { ...ko(4, 9, 5, true), practice_id: 'PR-UNKNOWN' },
          '2025-01-02T00:00:00Z',
        ),
      ]);
      const q = async (sql: string) => (await kpiPool.query(sql)).rows;
      expect(
        await q(
          'SELECT total_orders::int, revenue::float8, paid_orders::int, outstanding::float8 FROM curagenesis_kpi_total_orders',
        ),
      ).toEqual([{ total_orders: 4, revenue: 165.25, paid_orders: 3, outstanding: 50 }]);
      expect(
        await q('SELECT active_practices::int, total_practices::int FROM curagenesis_kpi_active_practices'),
      ).toEqual([{ active_practices: 2, total_practices: 3 }]);
      expect(
        await q(
          'SELECT state, practices::int, active_practices::int, orders::int, revenue::float8 FROM curagenesis_kpi_geographic_distribution ORDER BY state',
        ),
      ).toEqual([
        { state: 'CA', practices: 1, active_practices: 0, orders: 0, revenue: 0 },
        { state: 'TX', practices: 2, active_practices: 2, orders: 3, revenue: 160.25 },
      ]);
      expect(
        await q(
          'SELECT sales_rep, practices::int, active_practices::int, orders::int, revenue::float8 FROM curagenesis_kpi_sales_rep_performance ORDER BY sales_rep',
        ),
      ).toEqual([
        { sales_rep: 'Ann', practices: 2, active_practices: 1, orders: 2, revenue: 150.25 },
        { sales_rep: 'Bob', practices: 1, active_practices: 1, orders: 1, revenue: 10 },
      ]);
    } finally {
      await kpiPool.end();
      await fresh.drop();
    }
  });
});
