import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { contractFor, TOPICS, type SyncEvent, type WebhookReceived } from '@tributary/contracts';
import { createPool, migrate, withTransaction } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { optimisticTransaction } from '../src/core/isolate';
import { pgCheckpointer } from '../src/data-access/pg-checkpointer';
import { projectBatches, type BatchInput, type BatchOutcome, type ProjectedRecord } from '../src/projections';
import { observed } from './observed';

/**
 * ADR 0010: a record PostgreSQL refuses never stops its batch. Each case projects a batch of good
 * records around a bad one (its value passes the topic's zod contract), with the checkpoint in the
 * same transaction, as the consumer runtime does: the good records are written, the bad one is
 * either stored with its value made storable (and noted) or reported as a RECORD_UNSTORABLE failure
 * with its SQLSTATE, and the partition's offset moves past the whole batch.
 */
const MIGRATIONS = join(__dirname, '..', 'migrations');
const GROUP = 'isolation-test';
let db: TestDatabase;
let pool: Pool;

/** Whether `project` runs as the projector does (optimisticTransaction) or with savepoints from the start. */
let optimisticMode = false;
/** The transactions the last `project` began, and the savepoints set in them. */
let attempts = 0;
let savepoints = 0;

const NUL = '\u0000';
const FFFD = '\uFFFD';
const AT = { observedAt: '2025-03-01T00:00:00Z' };

/** The record as the consumer runtime hands it over: decoded by its topic's contract (so it passes it). */
function decoded<V>(topic: string, record: ProjectedRecord<V>): ProjectedRecord<V> {
  return { offset: record.offset, value: contractFor(topic).decode(record.value) as V };
}

/**
 * Projects one batch and stores its next offset in the same transaction (the runtime's order),
 * counting the transactions begun and the SAVEPOINTs sent.
 */
async function project(topic: string, partition: number, messages: ProjectedRecord[]): Promise<BatchOutcome> {
  const batch: BatchInput = { topic, partition, messages: messages.map((m) => decoded(topic, m)) };
  attempts = 0;
  savepoints = 0;
  const begin = (fn: (tx: PoolClient) => Promise<BatchOutcome[]>) =>
    withTransaction(pool, async (tx) => {
      attempts += 1;
      const query = tx.query;
      tx.query = ((...args: Parameters<PoolClient['query']>) => {
        if (typeof args[0] === 'string' && args[0].startsWith('SAVEPOINT')) savepoints += 1;
        return (query as (...a: unknown[]) => unknown).apply(tx, args);
      }) as PoolClient['query'];
      try {
        return await fn(tx);
      } finally {
        tx.query = query;
      }
    });
  const work = async (tx: PoolClient) => {
    const outcomes = await projectBatches(tx, [batch]);
    const next = String(BigInt(messages[messages.length - 1]!.offset) + 1n);
    await pgCheckpointer(pool).store(tx, GROUP, [{ topic, partition, next }]);
    return outcomes;
  };
  const [outcome] = optimisticMode ? await optimisticTransaction(begin, work) : await begin(work);
  return outcome!;
}

async function storedNext(topic: string, partition: number): Promise<string | undefined> {
  return pgCheckpointer(pool).read(GROUP, topic, partition);
}

const afterLast = (messages: ProjectedRecord[]): string =>
  String(BigInt(messages[messages.length - 1]!.offset) + 1n);

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await pool.query(sql, params)).rows[0] as T;
}

const customer = (id: number, over: Record<string, unknown> = {}) => ({
  id,
  firstName: `First${id}`,
  lastName: 'Doe',
  email: `c${id}@example.com`,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-02T00:00:00Z',
  ...over,
});

/** The failure reported for the record at `offset`, with what the DLQ will carry. */
function failureAt(outcome: BatchOutcome, offset: string) {
  const f = outcome.failures.find((x) => x.offset === offset);
  expect(f).toBeDefined();
  return f!;
}

describe.each([
  ['with savepoints from the start', false],
  ['optimistically, as the projector runs (savepoints only after a refusal)', true],
])('per-record isolation in the projector, %s', (_mode, optimistic) => {
  beforeAll(async () => {
    optimisticMode = optimistic;
    db = await createTestDatabase('projector_isolation');
    pool = createPool(db.url);
    await migrate(pool, MIGRATIONS);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('when a RepCard customer text field holds a NUL or a lone surrogate, then it is stored with U+FFFD, noted, and the batch goes on', async () => {
    const topic = TOPICS.repcardCustomers;
    const batch = [
      observed('repcard', 'customers', '1001', customer(1001), { ...AT, syncId: 'iso-nul' }),
      observed(
        'repcard',
        'customers',
        '1002',
        customer(1002, { address: `12 Main${NUL}St`, notes: `call${NUL}back`, city: 'Bad\uD800City' }),
        { ...AT, syncId: 'iso-nul' },
      ),
      observed('repcard', 'customers', '1003', customer(1003), { ...AT, syncId: 'iso-nul' }),
    ];
    const outcome = await project(topic, 0, batch);

    expect(outcome.failures).toEqual([]);
    const row = await one<{ address: string; city: string; raw_data: Record<string, unknown> }>(
      'SELECT address, city, raw_data FROM repcard_customers WHERE repcard_customer_id = 1002',
    );
    expect(row.address).toBe(`12 Main${FFFD}St`);
    expect(row.city).toBe(`Bad${FFFD}City`);
    expect(row.raw_data.notes).toBe(`call${FFFD}back`);
    expect(
      (
        await one<{ n: number }>(
          'SELECT count(*)::int AS n FROM repcard_customers WHERE repcard_customer_id IN (1001, 1003)',
        )
      ).n,
    ).toBe(2);
    const note = await one<{ entity: string; record_id: string; paths: string[]; kafka_offset: string }>(
      `SELECT entity, record_id, paths, kafka_offset::text FROM projector_sanitized_records WHERE topic = $1 AND partition = 0`,
      [topic],
    );
    expect(note).toEqual({
      entity: 'customers',
      record_id: '1002',
      kafka_offset: batch[1]!.offset,
      paths: ['payload.address', 'payload.notes', 'payload.city'],
    });
    expect(
      await one('SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = $1', ['iso-nul']),
    ).toEqual({
      records_inserted: 3,
      records_failed: 0,
    });
    expect(await storedNext(topic, 0)).toBe(afterLast(batch));
    // Nothing refused: one transaction, and in the optimistic one no savepoint at all.
    expect([attempts, savepoints]).toEqual(optimistic ? [1, 0] : [1, 1]);
  });

  it('when a CuraGenesis webhook carries a NUL in its JSON (specialty), then the delivery and the practice are stored with U+FFFD and noted', async () => {
    const body = {
      event: 'practice.updated',
      data: { practiceId: 'PR-ISO-01', userId: 'USR-ISO-01', specialty: `Derma${NUL}tology`, state: 'TX' },
    };
    const delivery = (deliveryId: string, b: Record<string, unknown>): ProjectedRecord<WebhookReceived> => ({
      offset: '0',
      value: {
        type: 'WebhookReceived',
        version: 1,
        deliveryId,
        receivedAt: '2025-03-01T00:00:00Z',
        endpoint: 'practice-update',
        event: String(b.event),
        known: true,
        signatureScheme: 'hmac-sha256-hex',
        webhookTimestamp: null,
        body: b,
      },
    });
    const deliveries = [
      {
        ...delivery('iso-d-1', {
          event: 'practice.updated',
          data: { practiceId: 'PR-ISO-00', specialty: 'Cardiology' },
        }),
        offset: '10',
      },
      { ...delivery('iso-d-2', body), offset: '11' },
      {
        ...delivery('iso-d-3', {
          event: 'practice.updated',
          data: { practiceId: 'PR-ISO-02', specialty: 'Oncology' },
        }),
        offset: '12',
      },
    ];
    const webhooks = await project(TOPICS.curagenesisWebhooks, 0, deliveries);
    expect(webhooks.failures).toEqual([]);
    const stored = await one<{ body: { data: { specialty: string } } }>(
      `SELECT body FROM curagenesis_webhook_deliveries WHERE delivery_id = 'iso-d-2'`,
    );
    expect(stored.body.data.specialty).toBe(`Derma${FFFD}tology`);
    expect(
      (
        await one<{ n: number }>(
          `SELECT count(*)::int AS n FROM curagenesis_webhook_deliveries WHERE delivery_id LIKE 'iso-d-%'`,
        )
      ).n,
    ).toBe(3);

    // The record the gateway derived from it, on the practices topic.
    const practices = [
      observed(
        'curagenesis',
        'practices',
        'PR-ISO-00',
        { practiceId: 'PR-ISO-00', specialty: 'Cardiology' },
        { ...AT, deliveryId: 'iso-d-1' },
      ),
      observed('curagenesis', 'practices', 'PR-ISO-01', body, { ...AT, deliveryId: 'iso-d-2' }),
      observed(
        'curagenesis',
        'practices',
        'PR-ISO-02',
        { practiceId: 'PR-ISO-02', specialty: 'Oncology' },
        { ...AT, deliveryId: 'iso-d-3' },
      ),
    ];
    const outcome = await project(TOPICS.curagenesisPractices, 0, practices);
    expect(outcome.failures).toEqual([]);
    const practice = await one<{ specialty: string; raw_data: { specialty: string } }>(
      `SELECT specialty, raw_data FROM curagenesis_practices WHERE practice_id = 'PR-ISO-01'`,
    );
    expect(practice).toEqual({
      specialty: `Derma${FFFD}tology`,
      raw_data: expect.objectContaining({ specialty: `Derma${FFFD}tology` }),
    });
    const notes = await pool.query<{ topic: string; record_id: string; paths: string[] }>(
      `SELECT topic, record_id, paths FROM projector_sanitized_records WHERE record_id IN ('iso-d-2', 'PR-ISO-01') ORDER BY topic`,
    );
    expect(notes.rows).toEqual([
      { topic: TOPICS.curagenesisPractices, record_id: 'PR-ISO-01', paths: ['payload.data.specialty'] },
      { topic: TOPICS.curagenesisWebhooks, record_id: 'iso-d-2', paths: ['body.data.specialty'] },
    ]);
    expect(await storedNext(TOPICS.curagenesisWebhooks, 0)).toBe('13');
    expect(await storedNext(TOPICS.curagenesisPractices, 0)).toBe(afterLast(practices));
  });

  it('when an integer is above the int4 range of its column, then that record fails with SQLSTATE 22003 and counts failed; the others are written', async () => {
    const topic = TOPICS.repcardUsers;
    const user = (id: number, status: unknown) => ({
      id,
      firstName: `U${id}`,
      lastName: 'Roe',
      email: `u${id}@example.com`,
      status,
    });
    const batch = [
      observed('repcard', 'users', '2001', user(2001, 1), { ...AT, syncId: 'iso-int' }),
      observed('repcard', 'users', '2002', user(2002, 3_000_000_000), { ...AT, syncId: 'iso-int' }),
      observed('repcard', 'users', '2003', user(2003, 0), { ...AT, syncId: 'iso-int' }),
      observed('repcard', 'users', '2004', user(2004, 1), { ...AT, syncId: 'iso-int' }),
    ];
    const outcome = await project(topic, 1, batch);

    expect(outcome.failures).toHaveLength(1);
    const f = failureAt(outcome, batch[1]!.offset);
    expect(f.syncId).toBe('iso-int');
    expect(f.error).toMatchObject({
      code: 'RECORD_UNSTORABLE',
      retriable: false,
      details: {
        topic,
        partition: 1,
        offset: batch[1]!.offset,
        entity: 'users',
        id: '2002',
        sqlState: '22003',
      },
    });
    expect(f.error.message).toMatch(
      /users record 2002 refused by PostgreSQL \(SQLSTATE 22003\): .*out of range for type integer/,
    );
    const ids = await pool.query(
      'SELECT repcard_user_id::int AS id FROM repcard_users WHERE repcard_user_id BETWEEN 2001 AND 2004 ORDER BY 1',
    );
    expect(ids.rows.map((r) => r.id)).toEqual([2001, 2003, 2004]);
    expect(
      await one('SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = $1', ['iso-int']),
    ).toEqual({
      records_inserted: 3,
      records_failed: 1,
    });
    expect(await storedNext(topic, 1)).toBe(afterLast(batch));
    // The optimistic transaction was refused as a whole, rolled back, and run again isolating.
    expect(attempts).toBe(optimistic ? 2 : 1);
    expect(savepoints).toBeGreaterThan(2);
  });

  it('when a date passes the contract but does not exist (year 0: PostgreSQL refuses it, 22008; 30 February: the converter refuses it, never rolled over to March), then that record fails; the others are written', async () => {
    const customers = [
      observed('repcard', 'customers', '3001', customer(3001), { ...AT, syncId: 'iso-date' }),
      observed('repcard', 'customers', '3002', customer(3002, { createdAt: '0000-01-01T00:00:00Z' }), {
        ...AT,
        syncId: 'iso-date',
      }),
      observed('repcard', 'customers', '3003', customer(3003), { ...AT, syncId: 'iso-date' }),
    ];
    const repcard = await project(TOPICS.repcardCustomers, 2, customers);
    expect(repcard.failures.map((f) => [f.offset, f.error.code, f.error.details.sqlState])).toEqual([
      [customers[1]!.offset, 'RECORD_UNSTORABLE', '22008'],
    ]);
    expect(
      (
        await one<{ n: number }>(
          'SELECT count(*)::int AS n FROM repcard_customers WHERE repcard_customer_id IN (3001, 3003)',
        )
      ).n,
    ).toBe(2);
    expect(await storedNext(TOPICS.repcardCustomers, 2)).toBe(afterLast(customers));

    const order = (n: number, due: string) => ({
      order_id: `ORD-ISO-${n}`,
      practice_id: 'PR-ISO-00',
      total_amount: 10,
      invoice_due_date: due,
    });
    const orders = [
      observed('curagenesis', 'orders', 'ORD-ISO-1', order(1, '2025-02-28'), {
        ...AT,
        syncId: 'iso-date-cg',
      }),
      observed('curagenesis', 'orders', 'ORD-ISO-2', order(2, '2025-02-30'), {
        ...AT,
        syncId: 'iso-date-cg',
      }),
      observed('curagenesis', 'orders', 'ORD-ISO-3', order(3, '2025-03-01'), {
        ...AT,
        syncId: 'iso-date-cg',
      }),
    ];
    const cg = await project(TOPICS.curagenesisOrders, 0, orders);
    expect(cg.failures.map((f) => [f.offset, f.error.code])).toEqual([
      [orders[1]!.offset, 'RECORD_MALFORMED'],
    ]);
    expect(cg.failures[0]!.error.message).toMatch(/invoice_due_date/);
    const stored = await pool.query(
      `SELECT order_id FROM curagenesis_orders WHERE order_id LIKE 'ORD-ISO-%' ORDER BY 1`,
    );
    expect(stored.rows.map((r) => r.order_id)).toEqual(['ORD-ISO-1', 'ORD-ISO-3']);
    expect(
      await one('SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = $1', ['iso-date-cg']),
    ).toEqual({
      records_inserted: 2,
      records_failed: 1,
    });
  });

  it('when a 2 MB string arrives, then a plain text column stores it whole, and one PostgreSQL cannot index fails with SQLSTATE 54000', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    // Random text does not compress below the 8 kB an index row may hold.
    const bigRandom = randomBytes(1536 * 1024).toString('base64');
    const customers = [
      observed('repcard', 'customers', '4001', customer(4001), { ...AT, syncId: 'iso-big' }),
      observed('repcard', 'customers', '4002', customer(4002, { address: big }), {
        ...AT,
        syncId: 'iso-big',
      }),
    ];
    expect((await project(TOPICS.repcardCustomers, 3, customers)).failures).toEqual([]);
    expect(
      await one('SELECT length(address) AS n FROM repcard_customers WHERE repcard_customer_id = 4002'),
    ).toEqual({ n: big.length });

    const users = [
      observed(
        'repcard',
        'users',
        '4101',
        { id: 4101, email: 'ok@example.com' },
        { ...AT, syncId: 'iso-big' },
      ),
      observed('repcard', 'users', '4102', { id: 4102, email: bigRandom }, { ...AT, syncId: 'iso-big' }),
      observed(
        'repcard',
        'users',
        '4103',
        { id: 4103, email: 'ok2@example.com' },
        { ...AT, syncId: 'iso-big' },
      ),
    ];
    const outcome = await project(TOPICS.repcardUsers, 3, users);
    expect(outcome.failures.map((f) => [f.offset, f.error.code, f.error.details.sqlState])).toEqual([
      [users[1]!.offset, 'RECORD_UNSTORABLE', '54000'],
    ]);
    const ids = await pool.query(
      'SELECT repcard_user_id::int AS id FROM repcard_users WHERE repcard_user_id BETWEEN 4101 AND 4103 ORDER BY 1',
    );
    expect(ids.rows.map((r) => r.id)).toEqual([4101, 4103]);
    expect(await storedNext(TOPICS.repcardUsers, 3)).toBe(afterLast(users));
  });

  it('when a sync event holds an absurd value, then it alone fails with its SQLSTATE and the run’s other events are applied', async () => {
    const syncId = '6f1c1f5e-0000-4000-8000-00000000a001';
    const at = '2025-03-01T00:00:00Z';
    const events: SyncEvent[] = [
      {
        type: 'SyncStarted',
        version: 1,
        syncId,
        source: 'repcard',
        at,
        mode: 'full',
        entities: ['users'],
        trigger: 'manual',
      },
      {
        type: 'EntityProgress',
        version: 1,
        syncId,
        source: 'repcard',
        at,
        entity: 'users',
        fetched: 3_000_000_000,
        pages: 1,
        totalPages: 1,
      },
      {
        type: 'EntityStarted',
        version: 1,
        syncId,
        source: 'repcard',
        at: '0000-01-01T00:00:00Z',
        entity: 'offices',
      },
      { type: 'EntityStarted', version: 1, syncId, source: 'repcard', at, entity: 'users' },
    ];
    const batch = events.map((value, i) => ({ offset: String(100 + i), value }));
    const outcome = await project(TOPICS.syncEvents, 0, batch);

    expect(outcome.failures.map((f) => [f.offset, f.error.code, f.error.details.sqlState, f.syncId])).toEqual(
      [
        ['101', 'RECORD_UNSTORABLE', '22003', null],
        ['102', 'RECORD_UNSTORABLE', '22008', null],
      ],
    );
    expect(await one('SELECT sync_type FROM sync_runs WHERE sync_id = $1', [syncId])).toEqual({
      sync_type: 'full',
    });
    const log = await pool.query('SELECT entity_type FROM sync_log WHERE sync_id = $1', [syncId]);
    expect(log.rows).toEqual([{ entity_type: 'users' }]);
    expect(await storedNext(TOPICS.syncEvents, 0)).toBe('104');
  });

  it('when batches of two partitions are projected together and one record is refused, then its failure names its own partition and offset', async () => {
    const topic = TOPICS.repcardUsers;
    const p5 = [observed('repcard', 'users', '5001', { id: 5001, status: 1 }, AT)];
    const p6 = [
      observed('repcard', 'users', '5002', { id: 5002, status: 1 }, AT),
      observed('repcard', 'users', '5003', { id: 5003, status: 9_999_999_999 }, AT),
    ];
    const outcomes = await withTransaction(pool, (tx) =>
      projectBatches(tx, [
        { topic, partition: 5, messages: p5.map((m) => decoded(topic, m)) },
        { topic, partition: 6, messages: p6.map((m) => decoded(topic, m)) },
      ]),
    );
    expect(outcomes[0]!.failures).toEqual([]);
    expect(
      outcomes[1]!.failures.map((f) => [f.offset, f.error.details.partition, f.error.details.offset]),
    ).toEqual([[p6[1]!.offset, 6, p6[1]!.offset]]);
    expect(
      (
        await one<{ n: number }>(
          'SELECT count(*)::int AS n FROM repcard_users WHERE repcard_user_id IN (5001, 5002)',
        )
      ).n,
    ).toBe(2);
  });
});
