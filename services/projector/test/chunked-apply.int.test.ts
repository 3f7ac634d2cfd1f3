import { Client, type Pool, type PoolClient } from 'pg';
import { contractFor, TOPICS } from '@tributary/contracts';
import { withTransaction } from '@tributary/db';
import type { TestDatabase } from '@tributary/testkit';
import { NOTIFY_CHANNELS } from '@tributary/read-model';
import { WRITE_PATH } from '../src/core/write-path';
import { CHUNKING } from '../src/projections/chunked-apply';
import { projectBatches, type ProjectedRecord } from '../src/projections';
import { repcardProjection } from '../src/projections/repcard';
import { dropDatabase, migratedDatabase } from './migrated-database';
import { observed } from './observed';
import { CUSTOMER_ROWS, readModelSnapshot, SYNC_LOG_TALLIES } from './read-model-snapshot';

/**
 * ADR 0023: a large batch of a projection with a chunk key is applied in chunks (the next planned
 * while PostgreSQL runs the current upsert). The same batches applied whole and in chunks of 7 must
 * leave the same rows, links, sync-log tallies, failures and change notices: duplicates of one id
 * (newer then older, the very same twice), older versions after newer ones, a child before its
 * parent, a record PostgreSQL refuses.
 */
const defaultRows = CHUNKING.rows;
const defaultMinRows = WRITE_PATH.copyMinRows;
const AT = { observedAt: '2025-04-01T00:00:00Z' };
const dbs: { db: TestDatabase; pool: Pool }[] = [];

beforeAll(async () => {
  for (let i = 0; i < 4; i++) dbs.push(await migratedDatabase());
});
afterAll(async () => {
  CHUNKING.rows = defaultRows;
  WRITE_PATH.copyMinRows = defaultMinRows;
  for (const { db, pool } of dbs) await dropDatabase(db, pool);
});

const customer = (id: number, updatedAt: string, syncId: string, over: Record<string, unknown> = {}) =>
  observed(
    'repcard',
    'customers',
    String(id),
    { id, firstName: `First${id}`, lastName: 'Doe', createdAt: '2024-01-01T00:00:00Z', updatedAt, ...over },
    { ...AT, sourceUpdatedAt: updatedAt, syncId },
  );
const user = (id: number, status: unknown) =>
  observed('repcard', 'users', String(id), { id, firstName: `U${id}`, status }, { ...AT, syncId: 'c-4' });
const appointment = (id: number, customerId: number) =>
  observed(
    'repcard',
    'appointments',
    String(id),
    { id, customerId, title: `A${id}`, updatedAt: '2024-02-01T00:00:00Z' },
    { ...AT, sourceUpdatedAt: '2024-02-01T00:00:00Z', syncId: 'c-2' },
  );

function scenario(): { topic: string; messages: ProjectedRecord[] }[] {
  const first: ProjectedRecord[] = [];
  for (let id = 1; id <= 60; id++) first.push(customer(id, '2024-03-01T00:00:00Z', 'c-1'));
  first.push(customer(6, '2024-03-05T00:00:00Z', 'c-1', { firstName: 'Newer' }));
  first.push(customer(6, '2024-03-02T00:00:00Z', 'c-1', { firstName: 'Older' }));
  first.push(customer(7, '2024-03-01T00:00:00Z', 'c-1'));
  const second: ProjectedRecord[] = [];
  for (let id = 1; id <= 60; id++) {
    const version = id % 2 === 0 ? '2024-02-01T00:00:00Z' : '2024-03-10T00:00:00Z';
    second.push(customer(id, version, 'c-3', { lastName: id % 2 === 0 ? 'Stale' : 'Fresh' }));
  }
  second.push(customer(9001, '2024-03-10T00:00:00Z', 'c-3'));
  const users: ProjectedRecord[] = [];
  for (let id = 1; id <= 40; id++) users.push(user(id, id === 21 ? 3_000_000_000 : 1));
  return [
    { topic: TOPICS.repcardCustomers, messages: first },
    { topic: TOPICS.repcardAppointments, messages: [appointment(70, 3), appointment(71, 9001)] },
    { topic: TOPICS.repcardCustomers, messages: second },
    { topic: TOPICS.repcardUsers, messages: users },
  ];
}

/** One batch in one transaction, as the consumer runtime applies it; its failures. */
async function project(pool: Pool, topic: string, messages: ProjectedRecord[]) {
  const decoded = messages.map((m) => ({ offset: m.offset, value: contractFor(topic).decode(m.value) }));
  return withTransaction(pool, async (tx: PoolClient) => {
    const [outcome] = await projectBatches(tx, [{ topic, partition: 0, messages: decoded }]);
    return outcome!.failures.map((f) => [f.offset, f.error.code]);
  });
}

/** Every change notice committed on the database while `work` runs, in commit order. */
async function noticesDuring(url: string, work: () => Promise<void>): Promise<unknown[]> {
  const listener = new Client({ connectionString: url });
  await listener.connect();
  const seen: unknown[] = [];
  listener.on('notification', (n) => seen.push(JSON.parse(n.payload ?? 'null')));
  await listener.query(`LISTEN ${NOTIFY_CHANNELS.changes}`);
  try {
    await work();
    await listener.query('SELECT 1'); // notifications sent before this answer are delivered
    return seen;
  } finally {
    await listener.end();
  }
}

const snapshot = (pool: Pool) =>
  readModelSnapshot(pool, {
    customers: CUSTOMER_ROWS,
    links: `SELECT a.repcard_appointment_id, c.repcard_customer_id FROM repcard_appointments a
       LEFT JOIN repcard_customers c ON c.id = a.customer_id ORDER BY 1`,
    users: `SELECT repcard_user_id, status FROM repcard_users ORDER BY 1`,
    tallies: SYNC_LOG_TALLIES,
  });

describe('chunked apply', () => {
  // Multi-row upserts (chunks of 7 are below copyMinRows), then COPY for every run (a chunk's COPY
  // text then made ahead, while the previous chunk's upsert runs).
  it.each([
    ['the multi-row upsert', defaultMinRows, 0],
    ['COPY', 1, 2],
  ])(
    'when the same batches are applied whole and in chunks through %s, then they leave the same rows, links, tallies, failures and notices',
    async (_path, copyMinRows, first) => {
      WRITE_PATH.copyMinRows = copyMinRows;
      const batches = scenario();
      const failures: unknown[][] = [];
      const notices: unknown[][] = [];
      const plans: number[] = [];
      const ahead = jest.spyOn(repcardProjection, 'prepare');
      for (const [j, rows] of [Number.POSITIVE_INFINITY, 7].entries()) {
        const { db, pool } = dbs[first + j]!;
        CHUNKING.rows = rows;
        const plan = jest.spyOn(repcardProjection, 'plan');
        const seen: unknown[] = [];
        notices.push(
          await noticesDuring(db.url, async () => {
            for (const b of batches) seen.push(await project(pool, b.topic, b.messages));
          }),
        );
        failures.push(seen);
        plans.push(plan.mock.calls.length);
        plan.mockRestore();
      }
      CHUNKING.rows = defaultRows;
      WRITE_PATH.copyMinRows = defaultMinRows;
      // Each chunk planned ahead was prepared too (through COPY: its COPY text made ahead).
      expect(ahead.mock.calls.length).toBeGreaterThan(10);
      ahead.mockRestore();
      expect(plans[1]).toBeGreaterThan(plans[0]! + 10); // it did apply in chunks
      expect(notices[1]).toEqual(notices[0]);
      const whole = await snapshot(dbs[first]!.pool);
      expect(await snapshot(dbs[first + 1]!.pool)).toEqual(whole);
      expect(failures[1]).toEqual(failures[0]);
      expect(failures[0]![3]).toEqual([[batches[3]!.messages[20]!.offset, 'RECORD_UNSTORABLE']]);
      const byId = new Map(whole.customers.map(({ r }) => [Number(r.repcard_customer_id), r]));
      expect(byId.get(6)).toMatchObject({ first_name: 'Newer' });
      expect(byId.get(3)).toMatchObject({ last_name: 'Fresh' });
      expect(byId.get(4)).toMatchObject({ last_name: 'Doe' });
      expect(whole.links).toEqual([
        { repcard_appointment_id: '70', repcard_customer_id: '3' },
        { repcard_appointment_id: '71', repcard_customer_id: '9001' },
      ]);
    },
  );
});
