import { Client, type Pool } from 'pg';
import { withTransaction } from '@tributary/db';
import { waitFor, type TestDatabase } from '@tributary/testkit';
import { listenChanges } from './listen-changes';
import { sendNotices, type Notice } from '../src/core/notices';
import { TOPICS, type RecordObserved } from '@tributary/contracts';
import { projectBatch, projectBatches, type ProjectedRecord as BatchMessage } from '../src/projections';
import { dropDatabase, migratedDatabase } from './migrated-database';

let db: TestDatabase;
let pool: Pool;
let offset = 0;

function observed(
  entity: RecordObserved['entity'],
  id: string,
  payload: Record<string, unknown>,
  at: string,
  syncId: string | null = 'sync-1',
  updatedAt: string | null = null,
): BatchMessage {
  const value: RecordObserved = {
    type: 'RecordObserved',
    version: 2,
    eventId: `00000000-0000-4000-8000-${String(++offset).padStart(12, '0')}`,
    source: 'repcard',
    entity,
    id,
    payload,
    observedAt: at,
    sourceUpdatedAt: updatedAt,
    syncId,
    origin: 'poll',
    deliveryId: null,
  };
  return { offset: String(offset), value };
}

const customer = (id: number, name: string, updatedAt: string) => ({
  id,
  firstName: name,
  lastName: 'Doe',
  fullName: `${name} Doe`,
  email: `${name}@example.com`,
  userId: 7,
  createdAt: '2024-01-01T00:00:00.000000Z',
  updatedAt,
});

async function apply(topic: string, messages: BatchMessage[]) {
  return withTransaction(pool, (c) => projectBatch(c, topic, 0, messages));
}

beforeAll(async () => {
  ({ db, pool } = await migratedDatabase());
});
afterAll(() => dropDatabase(db, pool));

describe('projectBatch against PostgreSQL', () => {
  it('when batches of several partitions are applied together, then each is projected and each change is announced (offsets: pg-checkpointer.int.test.ts)', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const heard: { table: string; inserted: number }[] = [];
    listener.on('notification', (n) => n.payload && heard.push(JSON.parse(n.payload)));
    await listener.query('LISTEN tributary_changes');
    try {
      const customers = [
        observed(
          'customers',
          '61',
          customer(61, 'Gus', '2024-01-05T00:00:00Z'),
          '2024-05-02T00:00:00Z',
          'sync-group',
          '2024-01-05T00:00:00.000Z',
        ),
      ];
      const users = [
        observed(
          'users',
          '62',
          { id: 62, firstName: 'Hal', lastName: 'Roe', email: 'hal@example.com' },
          '2024-05-02T00:00:00Z',
          'sync-group',
        ),
      ];
      const outcomes = await withTransaction(pool, (c) =>
        projectBatches(c, [
          { topic: TOPICS.repcardCustomers, partition: 1, messages: customers },
          { topic: TOPICS.repcardUsers, partition: 2, messages: users },
          { topic: TOPICS.repcardUsers, partition: 0, messages: [] },
        ]),
      );
      expect(outcomes).toEqual([{ failures: [] }, { failures: [] }, { failures: [] }]);
      expect(
        (await pool.query('SELECT count(*)::int AS n FROM repcard_customers WHERE repcard_customer_id = 61'))
          .rows[0].n,
      ).toBe(1);
      expect(
        (await pool.query('SELECT count(*)::int AS n FROM repcard_users WHERE repcard_user_id = 62')).rows[0]
          .n,
      ).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(
        heard
          .filter((h) => h.inserted > 0)
          .map((h) => h.table)
          .sort(),
      ).toEqual(['repcard_customers', 'repcard_users']);
    } finally {
      await listener.end();
    }
  });

  it('when notices carry quotes, backslashes and non-ASCII, then they are heard exactly, sent with the COMMIT or on their own', async () => {
    const { heard, end } = await listenChanges(db.url);
    try {
      const notice = (table: string): Notice => ({
        channel: 'changes',
        payload: { table, inserted: 1, updated: 0, syncIds: [`o'brien \\ "x" \u00e9\u4e2d $1 ;--`] },
      });
      // In a transaction of withTransaction: deferred to its COMMIT.
      await withTransaction(pool, (c) => sendNotices(c, [notice('deferred-1'), notice('deferred-2')]));
      // On a client outside it: one statement of its own.
      const client = await pool.connect();
      try {
        await sendNotices(client, [notice('immediate')]);
      } finally {
        client.release();
      }
      await waitFor(async () => heard.length >= 3, { timeoutMs: 5000, description: 'three notices' });
      expect(heard).toEqual([
        notice('deferred-1').payload,
        notice('deferred-2').payload,
        notice('immediate').payload,
      ]);
    } finally {
      await end();
    }
  });

  it('when batches of two partitions of one topic are applied together, then a failure is reported for its own batch at its own offset', async () => {
    const good = {
      ...observed(
        'customers',
        '71',
        customer(71, 'Ivy', '2024-01-05T00:00:00Z'),
        '2024-05-02T00:00:00Z',
        'sync-two',
        '2024-01-05T00:00:00.000Z',
      ),
      offset: '5',
    };
    const bad = {
      ...observed('customers', 'malformed:x:1-0', { firstName: 'NoId' }, '2024-05-02T00:00:00Z', 'sync-two'),
      offset: '5',
    };
    const good2 = {
      ...observed(
        'customers',
        '72',
        customer(72, 'Jo', '2024-01-05T00:00:00Z'),
        '2024-05-02T00:00:00Z',
        'sync-two',
        '2024-01-05T00:00:00.000Z',
      ),
      offset: '6',
    };
    const outcomes = await withTransaction(pool, (c) =>
      projectBatches(c, [
        { topic: TOPICS.repcardCustomers, partition: 0, messages: [good] },
        { topic: TOPICS.repcardCustomers, partition: 1, messages: [bad, good2] },
      ]),
    );
    expect(outcomes[0]!.failures).toEqual([]);
    expect(outcomes[1]!.failures).toHaveLength(1);
    expect(outcomes[1]!.failures[0]).toMatchObject({ offset: '5', syncId: 'sync-two' });
    const log = await pool.query(
      `SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = 'sync-two'`,
    );
    expect(log.rows[0]).toEqual({ records_inserted: 2, records_failed: 1 });
  });

  it('when the same batch is applied twice, then rows are written once and the second pass changes nothing', async () => {
    const batch = [
      observed(
        'customers',
        '1',
        customer(1, 'Ann', '2024-02-01T00:00:00.000000Z'),
        '2024-03-01T00:00:00Z',
        'sync-twice',
        '2024-02-01T00:00:00.000Z',
      ),
    ];
    await apply(TOPICS.repcardCustomers, batch);
    await apply(TOPICS.repcardCustomers, batch);
    const rows = await pool.query('SELECT name, email FROM repcard_customers WHERE repcard_customer_id = 1');
    expect(rows.rows).toEqual([{ name: 'Ann Doe', email: 'Ann@example.com' }]);
    const log = await pool.query(
      `SELECT records_inserted, records_updated, records_unchanged FROM sync_log WHERE sync_id = 'sync-twice'`,
    );
    expect(log.rows[0]).toEqual({ records_inserted: 1, records_updated: 0, records_unchanged: 1 });
  });

  it('when an older version arrives after a newer one, then the newer row is kept', async () => {
    await apply(TOPICS.repcardCustomers, [
      observed(
        'customers',
        '2',
        customer(2, 'New', '2024-05-01T00:00:00Z'),
        '2024-05-02T00:00:00Z',
        's',
        '2024-05-01T00:00:00.000Z',
      ),
    ]);
    await apply(TOPICS.repcardCustomers, [
      observed(
        'customers',
        '2',
        customer(2, 'Old', '2024-04-01T00:00:00Z'),
        '2024-05-03T00:00:00Z',
        's',
        '2024-04-01T00:00:00.000Z',
      ),
    ]);
    const rows = await pool.query('SELECT first_name FROM repcard_customers WHERE repcard_customer_id = 2');
    expect(rows.rows[0].first_name).toBe('New');
  });

  it('when a child arrives before its parent, then it keeps the parent source id and is linked when the parent arrives', async () => {
    const appointment = {
      id: 500,
      title: 'Visit',
      userId: 7,
      closerId: 8,
      contact: { id: 3 },
      startAt: '2024-05-17 20:45:00',
      startAtTimezone: 'America/Denver',
      status: { id: 4, title: 'Sold', category: { id: 1, title: 'Won' } },
      createdAt: '2024-05-01T00:00:00.000000Z',
      updatedAt: '2024-05-01T00:00:00.000000Z',
    };
    const attachment = {
      id: 900,
      attachmentUrl: 'https://files.example.com/a/bill.pdf',
      type: 'document',
      userId: 7,
      appointmentId: 500,
    };
    await apply(TOPICS.repcardAppointmentAttachments, [
      observed('appointment_attachments', '900', attachment, '2024-05-02T00:00:00Z'),
    ]);
    await apply(TOPICS.repcardAppointments, [
      observed('appointments', '500', appointment, '2024-05-02T00:00:00Z', 's', '2024-05-01T00:00:00.000Z'),
    ]);
    let a = await pool.query(
      'SELECT customer_id, repcard_customer_id, disposition, scheduled_at FROM repcard_appointments WHERE repcard_appointment_id = 500',
    );
    expect(a.rows[0]).toMatchObject({ customer_id: null, repcard_customer_id: '3', disposition: 'Sold' });
    expect((a.rows[0].scheduled_at as Date).toISOString()).toBe('2024-05-18T02:45:00.000Z');
    await apply(TOPICS.repcardCustomers, [
      observed(
        'customers',
        '3',
        customer(3, 'Cy', '2024-01-05T00:00:00Z'),
        '2024-05-03T00:00:00Z',
        's',
        '2024-01-05T00:00:00.000Z',
      ),
    ]);
    a = await pool.query(
      `SELECT a.customer_id, c.id AS cid FROM repcard_appointments a JOIN repcard_customers c ON c.repcard_customer_id = 3 WHERE a.repcard_appointment_id = 500`,
    );
    expect(a.rows[0].customer_id).toBe(a.rows[0].cid);
    const att = await pool.query(
      `SELECT aa.customer_id, aa.appointment_id, aa.file_name, aa.attachment_type FROM repcard_appointment_attachments aa WHERE repcard_attachment_id = 900`,
    );
    expect(att.rows[0]).toMatchObject({
      customer_id: a.rows[0].cid,
      file_name: 'bill.pdf',
      attachment_type: 'document',
    });
    expect(att.rows[0].appointment_id).not.toBeNull();
  });

  it('when a record is malformed, then it is reported as failed for its sync and the rest is projected', async () => {
    const res = await apply(TOPICS.repcardCustomers, [
      observed('customers', 'malformed:x:1-0', { firstName: 'NoId' }, '2024-05-02T00:00:00Z', 'sync-bad'),
      observed(
        'customers',
        '4',
        customer(4, 'Dee', '2024-01-05T00:00:00Z'),
        '2024-05-02T00:00:00Z',
        'sync-bad',
        '2024-01-05T00:00:00.000Z',
      ),
    ]);
    expect(res.failures).toHaveLength(1);
    expect(res.failures[0]!.error.message).toMatch(/malformed customers record/);
    const log = await pool.query(
      `SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = 'sync-bad'`,
    );
    expect(log.rows[0]).toEqual({ records_inserted: 1, records_failed: 1 });
  });
});
