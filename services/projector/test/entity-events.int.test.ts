import type { Pool } from 'pg';
import { withTransaction } from '@tributary/db';
import type { OutgoingRecord } from '@tributary/kafka';
import type { TestDatabase } from '@tributary/testkit';
import {
  TOPICS,
  deletionEventId,
  type RecordDeleted,
  type RecordObserved,
  type RecordOrigin,
  type SyncEvent,
} from '@tributary/contracts';
import { relayDeletionsOnce } from '../src/deletion-relay';
import { projectBatches, type BatchInput, type ProjectedRecord } from '../src/projections';
import { customerObserved } from './customer-observed';
import { dropDatabase, migratedDatabase } from './migrated-database';

/**
 * The entity topics' other events (ADR 0024) against PostgreSQL: repairs let past the version
 * guard, drift a sync run sees counted on its sync_log row, RecordDeleted applied by the deletion
 * rule, and the deletion outbox filled by a sweep and emptied by the relay.
 */
let db: TestDatabase;
let pool: Pool;
let offset = 0;

const SYNC = '00000000-0000-4000-9000-000000000001';
const SYNC2 = '00000000-0000-4000-9000-000000000002';
const at = (day: number, minute = 0) => new Date(Date.UTC(2026, 0, day, 0, minute)).toISOString();
const message = (value: unknown): ProjectedRecord => ({
  offset: String(++offset),
  value,
  at: { topic: TOPICS.repcardCustomers, partition: 0, offset: String(offset) },
});

function observed(
  id: number,
  firstName: string,
  updatedAt: string,
  origin: RecordOrigin,
  syncId: string | null,
  observedAt = at(20),
): RecordObserved {
  return customerObserved(
    offset + 1,
    id,
    { id, firstName, lastName: 'Doe', createdAt: '2024-01-01T00:00:00Z', updatedAt },
    { observedAt, sourceUpdatedAt: updatedAt, syncId, origin },
  );
}

const deletion = (id: number, deletedAt: string, syncId = SYNC): RecordDeleted => ({
  type: 'RecordDeleted',
  version: 1,
  eventId: deletionEventId('repcard', 'customers', String(id), syncId),
  source: 'repcard',
  entity: 'customers',
  id: String(id),
  deletedAt,
  syncId,
  observedAt: deletedAt,
});

const customers = (...values: unknown[]): BatchInput => ({
  topic: TOPICS.repcardCustomers,
  partition: 0,
  messages: values.map(message),
});
const events = (...values: SyncEvent[]): BatchInput => ({
  topic: TOPICS.syncEvents,
  partition: 0,
  messages: values.map(message),
});

async function transaction(...batches: BatchInput[]): Promise<void> {
  await withTransaction(pool, (c) => projectBatches(c, batches, undefined, { maxRatio: 0.5 }));
}

async function row(id: number) {
  const res = await pool.query(
    `SELECT raw_data->>'firstName' AS name, _observed_via AS via, deleted_at, deleted_by_sync_id AS by
     FROM repcard_customers WHERE repcard_customer_id = $1`,
    [id],
  );
  return res.rows[0] as { name: string; via: string; deleted_at: Date | null; by: string | null };
}

beforeAll(async () => {
  ({ db, pool } = await migratedDatabase());
});
afterAll(() => dropDatabase(db, pool));
beforeEach(async () => {
  await pool.query(
    'TRUNCATE repcard_customers, sync_log, sync_runs, projector_deletion_sweeps, projector_deletion_outbox CASCADE',
  );
});

describe('repair events', () => {
  it('when a repair older than the stored row is projected, then the row holds the source answer with lineage repair, and an older ordinary poll is still refused', async () => {
    await transaction(customers(observed(1, 'Newer', at(10), 'poll', SYNC)));
    await transaction(customers(observed(1, 'Restored', at(5), 'poll', SYNC2)));
    expect(await row(1)).toMatchObject({ name: 'Newer', via: 'poll' });

    await transaction(customers(observed(1, 'Restored', at(5), 'repair', null)));
    expect(await row(1)).toMatchObject({ name: 'Restored', via: 'repair' });

    await transaction(customers(observed(1, 'Older still', at(4), 'poll', SYNC2)));
    expect(await row(1)).toMatchObject({ name: 'Restored', via: 'repair' });
    await transaction(customers(observed(1, 'Changed later', at(6), 'poll', SYNC2)));
    expect(await row(1)).toMatchObject({ name: 'Changed later', via: 'poll' });
  });

  it('when a repair is projected for a row that is absent, then it is inserted like an observation', async () => {
    await transaction(customers(observed(2, 'Fresh', at(5), 'repair', null)));
    expect(await row(2)).toMatchObject({ name: 'Fresh', via: 'repair' });
  });
});

describe('drift seen by a sync run', () => {
  it('when a sync run reads records older than the stored rows, then the rows are kept and the run counts them drifted', async () => {
    await transaction(
      customers(observed(1, 'Newer', at(10), 'poll', SYNC), observed(2, 'Same', at(10), 'poll', SYNC)),
    );
    await transaction(
      customers(observed(1, 'Restored', at(5), 'poll', SYNC2), observed(2, 'Same', at(10), 'poll', SYNC2)),
    );
    expect(await row(1)).toMatchObject({ name: 'Newer' });
    const log = await pool.query(`SELECT sync_id, records_drifted FROM sync_log ORDER BY sync_id`);
    expect(log.rows).toEqual([
      { sync_id: SYNC, records_drifted: 0 },
      { sync_id: SYNC2, records_drifted: 1 },
    ]);
  });
});

describe('RecordDeleted on the entity topic', () => {
  it('when a RecordDeleted is projected, then the row is marked unless it was seen after the deletion, and applying it again changes nothing', async () => {
    await transaction(
      customers(observed(1, 'A', at(1), 'poll', SYNC, at(2)), observed(2, 'B', at(1), 'poll', SYNC, at(9))),
    );
    await transaction(customers(deletion(1, at(5)), deletion(2, at(5))));
    expect(await row(1)).toMatchObject({ deleted_at: new Date(at(5)), by: SYNC });
    expect(await row(2)).toMatchObject({ deleted_at: null, by: null });

    await transaction(customers(deletion(1, at(6), SYNC2)));
    expect(await row(1)).toMatchObject({ deleted_at: new Date(at(5)), by: SYNC });
    // Seen again after the deletion: live again (the rule of ADR 0018).
    await transaction(customers(observed(1, 'A', at(1), 'poll', SYNC2, at(7))));
    expect(await row(1)).toMatchObject({ deleted_at: null });
  });

  it('when a RecordDeleted and records come in one batch, then the records are projected and tallied, the deletion is not', async () => {
    await transaction(customers(observed(3, 'C', at(1), 'poll', SYNC, at(2)), deletion(3, at(5))));
    expect(await row(3)).toMatchObject({ name: 'C', deleted_at: new Date(at(5)) });
    const log = await pool.query(`SELECT records_inserted, records_failed FROM sync_log WHERE sync_id = $1`, [
      SYNC,
    ]);
    expect(log.rows).toEqual([{ records_inserted: 1, records_failed: 0 }]);
  });
});

describe('deletion outbox', () => {
  const base = (syncId: string) => ({ version: 1 as const, syncId, source: 'repcard' as const });
  const run = (syncId: string, day: number, ids: number[]): BatchInput[] => [
    events(
      {
        type: 'SyncStarted',
        ...base(syncId),
        at: at(day),
        mode: 'full',
        entities: ['customers'],
        trigger: 'cli',
      },
      { type: 'EntityStarted', ...base(syncId), at: at(day), entity: 'customers' },
    ),
    customers(...ids.map((id) => observed(id, `C${id}`, at(1), 'poll', syncId, at(day, 1)))),
    events({
      type: 'EntityCompleted',
      ...base(syncId),
      at: at(day, 2),
      entity: 'customers',
      fetched: ids.length,
      pages: 1,
      malformed: 0,
      highWaterMark: null,
      wholeEntity: true,
    }),
  ];

  it('when a complete full sync marks rows deleted, then a RecordDeleted per row is queued in its transaction, and the relay publishes each once to the entity topic and empties the outbox', async () => {
    for (const b of run(SYNC, 10, [1, 2, 3, 4])) await transaction(b);
    for (const b of run(SYNC2, 11, [1, 2, 3])) await transaction(b);
    expect(await row(4)).toMatchObject({ by: SYNC2 });
    const queued = await pool.query(
      `SELECT topic, record_id, sync_id, deleted_at FROM projector_deletion_outbox`,
    );
    expect(queued.rows).toEqual([
      { topic: TOPICS.repcardCustomers, record_id: '4', sync_id: SYNC2, deleted_at: new Date(at(11)) },
    ]);

    const published: OutgoingRecord[] = [];
    const publisher = {
      publish: async (records: readonly OutgoingRecord[]) => void published.push(...records),
    };
    const now = () => new Date(at(12));
    expect(await relayDeletionsOnce({ pool, publisher, now })).toBe(1);
    expect(await relayDeletionsOnce({ pool, publisher, now })).toBe(0);
    expect(published).toHaveLength(1);
    expect(published[0]!.key).toBe('4');
    expect(published[0]!.contract.topic).toBe(TOPICS.repcardCustomers);
    expect(published[0]!.contract.decode(published[0]!.value)).toEqual({
      ...deletion(4, at(11), SYNC2),
      observedAt: at(12),
    });
    expect((await pool.query(`SELECT count(*)::int AS n FROM projector_deletion_outbox`)).rows[0].n).toBe(0);

    // The published event read back by the projector: already marked, nothing changes.
    await transaction(customers(published[0]!.value));
    expect(await row(4)).toMatchObject({ deleted_at: new Date(at(11)), by: SYNC2 });
  });

  it('when publishing fails, then the rows stay queued for the next attempt', async () => {
    for (const b of run(SYNC, 10, [1, 2])) await transaction(b);
    for (const b of run(SYNC2, 11, [1])) await transaction(b);
    const failing = {
      publish: async () => {
        throw new Error('broker down');
      },
    };
    await expect(relayDeletionsOnce({ pool, publisher: failing })).rejects.toThrow('broker down');
    expect((await pool.query(`SELECT count(*)::int AS n FROM projector_deletion_outbox`)).rows[0].n).toBe(1);
  });
});

describe('malformed ids', () => {
  it('when a repair, a deletion and a sync record carry an id the key cannot hold, then the batch still commits and the record is failed by its projection', async () => {
    const bad = {
      ...observed(1, 'X', at(5), 'poll', SYNC),
      id: 'not-a-number',
      payload: { id: 'not-a-number' },
    };
    const repair = { ...bad, origin: 'repair' as const, syncId: null };
    await withTransaction(pool, (c) =>
      projectBatches(c, [customers(bad, repair, { ...deletion(1, at(5)), id: 'not-a-number' })]),
    );
    expect((await pool.query(`SELECT count(*)::int AS n FROM repcard_customers`)).rows[0].n).toBe(0);
  });
});
