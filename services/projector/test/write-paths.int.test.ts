import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { contractFor, TOPICS } from '@tributary/contracts';
import { createPool, migrate, withTransaction } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { WRITE_PATH } from '../src/core/write-path';
import { projectBatches, type BatchOutcome, type ProjectedRecord } from '../src/projections';
import { observed } from './observed';
import { CUSTOMER_ROWS, readModelSnapshot, SYNC_LOG_TALLIES } from './read-model-snapshot';

/**
 * ADR 0016: a large run goes through COPY into a staging table and one set-based upsert, a small
 * one through the multi-row upsert. The same batches are projected into two databases, one per
 * path, and must leave the same rows, links, sync-log tallies and failures: an older version after
 * a newer one, the same record twice, a child before its parent, a refused record in a big batch.
 */
const MIGRATIONS = join(__dirname, '..', 'migrations');
const BIG = 600;
const AT = { observedAt: '2025-04-01T00:00:00Z' };
const copyPath = { name: 'copy', copyMinRows: 1 };
const valuesPath = { name: 'multi-row', copyMinRows: Number.POSITIVE_INFINITY };
const paths = [copyPath, valuesPath];
const dbs = new Map<string, { db: TestDatabase; pool: Pool }>();
const defaultMinRows = WRITE_PATH.copyMinRows;

beforeAll(async () => {
  for (const p of paths) {
    const db = await createTestDatabase(`projector_paths_${p.name.replace('-', '_')}`);
    const pool = createPool(db.url);
    await migrate(pool, MIGRATIONS);
    dbs.set(p.name, { db, pool });
  }
});
afterAll(async () => {
  WRITE_PATH.copyMinRows = defaultMinRows;
  for (const { db, pool } of dbs.values()) {
    await pool.end();
    await db.drop();
  }
});

const customer = (id: number, updatedAt: string, over: Record<string, unknown> = {}) => ({
  id,
  firstName: `First${id}`,
  lastName: 'Doe',
  email: `c${id}@example.com`,
  notes: 'tab\there, newline\nhere, backslash \\ here',
  latitude: 40.5 + id / 1000,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt,
  ...over,
});
const customerAt = (id: number, updatedAt: string, syncId: string, over: Record<string, unknown> = {}) =>
  observed('repcard', 'customers', String(id), customer(id, updatedAt, over), {
    ...AT,
    sourceUpdatedAt: updatedAt,
    syncId,
  });
const appointment = (id: number, customerId: number, syncId: string) =>
  observed(
    'repcard',
    'appointments',
    String(id),
    { id, customerId, title: `A${id}`, updatedAt: '2024-02-01T00:00:00Z' },
    {
      ...AT,
      sourceUpdatedAt: '2024-02-01T00:00:00Z',
      syncId,
    },
  );
const user = (id: number, status: unknown, syncId: string) =>
  observed(
    'repcard',
    'users',
    String(id),
    { id, firstName: `U${id}`, lastName: 'Roe', status },
    { ...AT, syncId },
  );

/** The batches of the scenario, in order (each one transaction of one topic). */
function scenario(): { topic: string; messages: ProjectedRecord[] }[] {
  const first: ProjectedRecord[] = [];
  for (let id = 1; id <= BIG; id++) first.push(customerAt(id, '2024-03-01T00:00:00Z', 'paths-1'));
  // Customer 6: a newer version, then an older one in the same batch (the newer wins).
  first.push(customerAt(6, '2024-03-05T00:00:00Z', 'paths-1', { firstName: 'Newer' }));
  first.push(customerAt(6, '2024-03-02T00:00:00Z', 'paths-1', { firstName: 'Older' }));
  // Customer 7: the very same record twice.
  first.push(customerAt(7, '2024-03-01T00:00:00Z', 'paths-1'));
  // Appointments of customers already stored, and of one that arrives later (9001).
  const appointments = [appointment(70, 3, 'paths-2'), appointment(71, 9001, 'paths-2')];
  const second: ProjectedRecord[] = [];
  for (let id = 1; id <= BIG; id++) {
    // Even ids: older than what is stored (unchanged); odd ids: newer (updated).
    const version = id % 2 === 0 ? '2024-02-01T00:00:00Z' : '2024-03-10T00:00:00Z';
    second.push(customerAt(id, version, 'paths-3', { lastName: id % 2 === 0 ? 'Stale' : 'Fresh' }));
  }
  second.push(customerAt(9001, '2024-03-10T00:00:00Z', 'paths-3'));
  // A refused record (int4 overflow: passes the contract, PostgreSQL refuses it) among many.
  const users: ProjectedRecord[] = [];
  for (let id = 1; id <= BIG; id++) users.push(user(id, id === 321 ? 3_000_000_000 : 1, 'paths-4'));
  return [
    { topic: TOPICS.repcardCustomers, messages: first },
    { topic: TOPICS.repcardAppointments, messages: appointments },
    { topic: TOPICS.repcardCustomers, messages: second },
    { topic: TOPICS.repcardUsers, messages: users },
  ];
}

/** Projects one batch as the consumer runtime does (decoded by the topic's contract, one transaction). */
async function project(
  pool: Pool,
  topic: string,
  messages: ProjectedRecord[],
): Promise<{ outcome: BatchOutcome; staged: boolean }> {
  const decoded = messages.map((m) => ({ offset: m.offset, value: contractFor(topic).decode(m.value) }));
  return withTransaction(pool, async (tx: PoolClient) => {
    const [outcome] = await projectBatches(tx, [{ topic, partition: 0, messages: decoded }]);
    const staged = (
      await tx.query(`SELECT to_regclass('pg_temp.tributary_stage_repcard_customers') IS NOT NULL AS s`)
    ).rows[0].s;
    return { outcome: outcome!, staged };
  });
}

/** What a reader sees: every row without local ids and write times, parents by source id. */
const snapshot = (pool: Pool) =>
  readModelSnapshot(pool, {
    customers: CUSTOMER_ROWS,
    appointments: `SELECT to_jsonb(a) - 'id' - 'synced_at' - 'customer_id' AS r,
              (SELECT c.repcard_customer_id FROM repcard_customers c WHERE c.id = a.customer_id) AS linked
       FROM repcard_appointments a ORDER BY repcard_appointment_id`,
    users: `SELECT to_jsonb(u) - 'id' - 'synced_at' - 'created_at' - 'updated_at' AS r FROM repcard_users u ORDER BY repcard_user_id`,
    tallies: SYNC_LOG_TALLIES,
  });

describe('the two write paths', () => {
  it('when the same batches go through COPY and through the multi-row upsert, then they leave the same rows, links, tallies and failures', async () => {
    const batches = scenario();
    const failures = new Map<string, unknown[]>();
    for (const p of paths) {
      WRITE_PATH.copyMinRows = p.copyMinRows;
      const { pool } = dbs.get(p.name)!;
      const seen: unknown[] = [];
      for (const b of batches) {
        const { outcome, staged } = await project(pool, b.topic, b.messages);
        if (b.topic === TOPICS.repcardCustomers) expect(staged).toBe(p === copyPath);
        seen.push(outcome.failures.map((f) => [f.offset, f.error.code, f.error.details.sqlState]));
      }
      failures.set(p.name, seen);
    }
    WRITE_PATH.copyMinRows = defaultMinRows;

    const copy = await snapshot(dbs.get(copyPath.name)!.pool);
    const values = await snapshot(dbs.get(valuesPath.name)!.pool);
    expect(copy).toEqual(values);
    expect(failures.get(copyPath.name)).toEqual(failures.get(valuesPath.name));

    // And what both hold is right: the newest version, escapes intact, children linked, the refused record alone.
    const byId = new Map(copy.customers.map(({ r }) => [Number(r.repcard_customer_id), r]));
    expect(byId.get(6)).toMatchObject({ first_name: 'Newer', last_name: 'Doe' });
    expect(byId.get(4)).toMatchObject({ last_name: 'Doe' });
    expect(byId.get(3)).toMatchObject({ last_name: 'Fresh' });
    expect(byId.get(3)!.raw_data.notes).toBe('tab\there, newline\nhere, backslash \\ here');
    expect(copy.appointments.map((a) => [a.r.repcard_appointment_id, a.linked])).toEqual([
      [70, '3'],
      [71, '9001'],
    ]);
    expect(copy.users).toHaveLength(BIG - 1);
    const userBatch = batches[3]!.messages;
    expect(failures.get(copyPath.name)![3]).toEqual([[userBatch[320]!.offset, 'RECORD_UNSTORABLE', '22003']]);
    expect(copy.tallies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sync_id: 'paths-1', records_inserted: BIG, records_unchanged: 3 }),
        expect.objectContaining({
          sync_id: 'paths-3',
          records_inserted: 1,
          records_updated: BIG / 2,
          records_unchanged: BIG / 2,
        }),
        expect.objectContaining({ sync_id: 'paths-4', records_inserted: BIG - 1, records_failed: 1 }),
      ]),
    );
  });

  it('when a batch is projected a second time, then the COPY path changes nothing and counts every record unchanged', async () => {
    WRITE_PATH.copyMinRows = 1;
    const { pool } = dbs.get(copyPath.name)!;
    const before = await snapshot(pool);
    const again = scenario()[0]!.messages.map((m) => ({
      ...m,
      value: { ...(m.value as object), syncId: 'paths-again' },
    }));
    const { outcome } = await project(pool, TOPICS.repcardCustomers, again as ProjectedRecord[]);
    WRITE_PATH.copyMinRows = defaultMinRows;

    expect(outcome.failures).toEqual([]);
    const after = await snapshot(pool);
    expect(after.customers).toEqual(before.customers);
    expect(after.tallies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sync_id: 'paths-again',
          records_inserted: 0,
          records_updated: 0,
          records_unchanged: BIG + 3,
        }),
      ]),
    );
  });
});
