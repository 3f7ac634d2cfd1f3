import type { Pool } from 'pg';
import { withTransaction } from '@tributary/db';
import type { TestDatabase } from '@tributary/testkit';
import { TOPICS, type RecordObserved, type SyncEvent } from '@tributary/contracts';
import { projectBatches, type BatchInput, type ProjectedRecord } from '../src/projections';
import { WRITE_PATH } from '../src/core/write-path';
import { customerObserved } from './customer-observed';
import { dropDatabase, migratedDatabase } from './migrated-database';

/**
 * Deletion detection (ADR 0018) against PostgreSQL: the sync events and records of full and
 * incremental runs, projected as the consumer runtime hands them over (each list of batches is one
 * transaction), in both orders of "last record" and "EntityCompleted".
 */

let db: TestDatabase;
let pool: Pool;
let offset = 0;
let runs = 0;

/** Run n starts at minute n (of a day far from the others), its records are observed a second later. */
const minute = (n: number, s = 0) => new Date(Date.UTC(2026, 1, 1, 0, n, s)).toISOString();

const customer = (id: number) => ({
  id,
  firstName: `C${id}`,
  lastName: 'Doe',
  email: `c${id}@example.com`,
  createdAt: '2024-01-01T00:00:00.000000Z',
  updatedAt: '2024-01-02T00:00:00.000000Z',
});

const message = (value: unknown): ProjectedRecord => ({ offset: String(++offset), value });

interface Run {
  syncId: string;
  n: number;
  mode: 'full' | 'incremental';
}

function newRun(mode: Run['mode'] = 'full'): Run {
  runs += 1;
  return { syncId: `00000000-0000-4000-9000-${String(runs).padStart(12, '0')}`, n: runs, mode };
}

const base = (run: Run) => ({ version: 1 as const, syncId: run.syncId, source: 'repcard' as const });

function startEvents(run: Run): SyncEvent[] {
  return [
    {
      type: 'SyncStarted',
      ...base(run),
      at: minute(run.n),
      mode: run.mode,
      entities: ['customers'],
      trigger: 'cli',
    },
    { type: 'EntityStarted', ...base(run), at: minute(run.n), entity: 'customers' },
  ];
}

function completed(run: Run, fetched: number): SyncEvent {
  return {
    type: 'EntityCompleted',
    ...base(run),
    at: minute(run.n, 30),
    entity: 'customers',
    fetched,
    pages: 1,
    malformed: 0,
    highWaterMark: null,
    wholeEntity: run.mode === 'full',
  };
}

function records(run: Run, ids: readonly number[]): ProjectedRecord[] {
  return ids.map((id) =>
    message(
      customerObserved(offset + 1, id, customer(id), {
        observedAt: minute(run.n, 1),
        sourceUpdatedAt: '2024-01-02T00:00:00.000Z',
        syncId: run.syncId,
      }),
    ),
  );
}

const events = (list: SyncEvent[]): BatchInput => ({
  topic: TOPICS.syncEvents,
  partition: 0,
  messages: list.map(message),
});
const customers = (list: ProjectedRecord[]): BatchInput => ({
  topic: TOPICS.repcardCustomers,
  partition: 0,
  messages: list,
});

/** One transaction of batches, as the consumer runtime hands them over. */
async function transaction(...batches: BatchInput[]): Promise<void> {
  await withTransaction(pool, (c) => projectBatches(c, batches, undefined, { maxRatio: 0.05 }));
}

/** A whole run in three transactions: its start, its records, its end (or `end` first when asked). */
async function fullRun(
  run: Run,
  ids: readonly number[],
  order: 'records first' | 'completed first' = 'records first',
) {
  await transaction(events(startEvents(run)));
  if (order === 'completed first') {
    await transaction(events([completed(run, ids.length)]));
    await transaction(customers(records(run, ids)));
  } else {
    await transaction(customers(records(run, ids)));
    await transaction(events([completed(run, ids.length)]));
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function deleted(): Promise<{ id: number; deleted_at: string; by: string }[]> {
  const res = await pool.query(
    `SELECT repcard_customer_id::int AS id, deleted_at, deleted_by_sync_id AS by FROM repcard_customers
     WHERE deleted_at IS NOT NULL ORDER BY 1`,
  );
  return res.rows.map((r) => ({ ...r, deleted_at: (r.deleted_at as Date).toISOString() }));
}

async function logOf(run: Run) {
  const res = await pool.query(
    'SELECT status, records_deleted, deletion_note FROM sync_log WHERE sync_id = $1 AND entity_type = $2',
    [run.syncId, 'customers'],
  );
  return res.rows[0];
}

const live = async () =>
  (await pool.query('SELECT count(*)::int AS n FROM repcard_customers_live')).rows[0].n as number;

beforeAll(async () => {
  ({ db, pool } = await migratedDatabase());
});
afterAll(() => dropDatabase(db, pool));
beforeEach(async () => {
  await pool.query('TRUNCATE repcard_customers, sync_log, sync_runs, projector_deletion_sweeps CASCADE');
});
afterEach(() => {
  WRITE_PATH.copyMinRows = 500;
});

describe('deletion detection', () => {
  it.each(['records first', 'completed first'] as const)(
    'when a complete full sync did not see a row (%s), then it is marked deleted once its last record is projected, and the run says how many',
    async (order) => {
      await fullRun(newRun(), range(1, 40));
      const second = newRun();
      await fullRun(second, range(1, 39), order);

      expect(await deleted()).toEqual([{ id: 40, deleted_at: minute(second.n), by: second.syncId }]);
      expect(await live()).toBe(39);
      expect(await logOf(second)).toEqual({
        status: 'completed',
        records_deleted: 1,
        deletion_note: '1 of 40 rows (2.5%) not seen by this full sync: marked deleted',
      });
    },
  );

  it.each([
    ['multi-row', Number.POSITIVE_INFINITY],
    ['COPY', 1],
  ])(
    'when a deleted record reappears unchanged (%s path), then it is live again and its lineage is kept',
    async (_path, copyMinRows) => {
      WRITE_PATH.copyMinRows = copyMinRows;
      await fullRun(newRun(), range(1, 40));
      await fullRun(newRun(), range(1, 39));
      expect(await live()).toBe(39);
      const third = newRun();
      await fullRun(third, range(1, 40));

      expect(await deleted()).toEqual([]);
      expect(await live()).toBe(40);
      const row = await pool.query(
        `SELECT last_seen_at, _observed_via FROM repcard_customers WHERE repcard_customer_id = 40`,
      );
      expect((row.rows[0].last_seen_at as Date).toISOString()).toBe(minute(third.n, 1));
      expect(row.rows[0]._observed_via).toBe('poll');
      expect((await logOf(third)).records_deleted).toBe(0);
    },
  );

  it('when a full sync did not see more rows than the guard allows, then nothing is marked and the run says why', async () => {
    await fullRun(newRun(), range(1, 40));
    const truncated = newRun();
    await fullRun(truncated, range(1, 30));

    expect(await deleted()).toEqual([]);
    expect(await logOf(truncated)).toEqual({
      status: 'completed',
      records_deleted: null,
      deletion_note:
        'deletions not marked: 10 of 40 rows (25%) were not seen by this full sync, above the deletion guard of 5% (PROJECTOR_DELETION_MAX_RATIO)',
    });
    const sweep = await pool.query(
      'SELECT status, unseen_rows, marked FROM projector_deletion_sweeps WHERE sync_id = $1',
      [truncated.syncId],
    );
    expect(sweep.rows).toEqual([{ status: 'skipped', unseen_rows: 10, marked: 0 }]);
  });

  it('when an incremental sync sees only some rows, then nothing is marked', async () => {
    await fullRun(newRun(), range(1, 40));
    const incremental = newRun('incremental');
    await fullRun(incremental, [39]);

    expect(await deleted()).toEqual([]);
    expect((await logOf(incremental)).records_deleted).toBeNull();
    expect((await pool.query('SELECT count(*)::int AS n FROM projector_deletion_sweeps')).rows[0].n).toBe(1);
  });

  it('when a full sync fails in an entity, then that entity marks nothing', async () => {
    await fullRun(newRun(), range(1, 40));
    const failing = newRun();
    await transaction(events(startEvents(failing)), customers(records(failing, range(1, 39))));
    await transaction(
      events([
        {
          type: 'EntityFailed',
          ...base(failing),
          at: minute(failing.n, 30),
          entity: 'customers',
          fetched: 39,
          error: 'HTTP 500 on page 2',
        },
      ]),
    );

    expect(await deleted()).toEqual([]);
    expect((await logOf(failing)).status).toBe('failed');
  });

  it('when a record of a full sync could not be projected, then nothing is marked and the run says why', async () => {
    await fullRun(newRun(), range(1, 40));
    const run = newRun();
    const bad = records(run, [39]).map((m) => ({
      ...m,
      value: { ...(m.value as RecordObserved), payload: { firstName: 'no id' } },
    }));
    await transaction(events(startEvents(run)), customers([...records(run, range(1, 38)), ...bad]));
    await transaction(events([completed(run, 39)]));

    expect(await deleted()).toEqual([]);
    expect((await logOf(run)).deletion_note).toMatch(/1 record\(s\) of this run could not be projected/);
  });

  it('when the same events are projected twice, then the rows are the same', async () => {
    await fullRun(newRun(), range(1, 40));
    const second = newRun();
    await fullRun(second, range(1, 39));
    const snapshot = () =>
      pool.query(
        `SELECT repcard_customer_id, deleted_at, deleted_by_sync_id, last_seen_at, version_at, raw_data
         FROM repcard_customers ORDER BY 1`,
      );
    const once = (await snapshot()).rows;
    // The same run's events again (a replay after a rebuild of the offsets, or a duplicate delivery).
    const replayed = { ...second };
    await transaction(customers(records(replayed, range(1, 39))), events([completed(replayed, 39)]));

    expect((await snapshot()).rows).toEqual(once);
  });
});
