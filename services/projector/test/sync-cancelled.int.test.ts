import type { Pool } from 'pg';
import { withTransaction } from '@tributary/db';
import { waitFor, type TestDatabase } from '@tributary/testkit';
import { TOPICS, type SyncEvent } from '@tributary/contracts';
import { addTallies, findCancelTarget, getRun } from '@tributary/read-model';
import { projectBatch } from '../src/projections';
import { listenChanges } from './listen-changes';
import { dropDatabase, migratedDatabase } from './migrated-database';

let db: TestDatabase;
let pool: Pool;
let offset = 0;
let n = 0;

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const newSyncId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

async function apply(...events: SyncEvent[]): Promise<void> {
  await withTransaction(pool, (c) =>
    projectBatch(
      c,
      TOPICS.syncEvents,
      0,
      events.map((value) => ({ offset: String(++offset), value })),
    ),
  );
}

function started(syncId: string): SyncEvent[] {
  const base = { version: 1 as const, syncId, source: 'repcard' as const };
  return [
    {
      type: 'SyncStarted',
      ...base,
      at: at(0),
      mode: 'full',
      entities: ['users', 'customers', 'appointments'],
      trigger: 'cli',
    },
    { type: 'EntityStarted', ...base, at: at(1), entity: 'users' },
    {
      type: 'EntityCompleted',
      ...base,
      at: at(2),
      entity: 'users',
      fetched: 2,
      pages: 1,
      malformed: 0,
      highWaterMark: null,
    },
    { type: 'EntityStarted', ...base, at: at(3), entity: 'customers' },
    {
      type: 'EntityProgress',
      ...base,
      at: at(4),
      entity: 'customers',
      fetched: 100,
      pages: 1,
      totalPages: 9,
    },
  ];
}

function cancelled(syncId: string, started = true): SyncEvent {
  return {
    type: 'SyncCancelled',
    version: 1,
    syncId,
    source: 'repcard',
    at: at(5),
    mode: 'full',
    fetched: started ? 102 : 0,
    entity: started ? 'customers' : null,
    started,
    cancelledBy: 'ana',
  };
}

beforeAll(async () => {
  ({ db, pool } = await migratedDatabase());
});
afterAll(() => dropDatabase(db, pool));

describe('the sync-log projection of SyncCancelled', () => {
  it('when a running run is cancelled (the event applied twice), then the run and its unfinished entity are cancelled and the finished one settles', async () => {
    const syncId = newSyncId();
    await apply(...started(syncId));
    await apply(cancelled(syncId), cancelled(syncId));
    // The projector then counts the pages committed before the stop.
    await withTransaction(pool, async (c) => {
      await addTallies(
        c,
        'repcard',
        'users',
        new Map([[syncId, { inserted: 2, updated: 0, unchanged: 0, failed: 0 }]]),
      );
      await addTallies(
        c,
        'repcard',
        'customers',
        new Map([[syncId, { inserted: 100, updated: 0, unchanged: 0, failed: 0 }]]),
      );
    });
    const run = await getRun(pool, syncId);
    expect(run).toMatchObject({ status: 'cancelled', errorMessage: 'cancelled by ana', completedAt: at(5) });
    expect(run!.entityLogs.map((e) => [e.entityType, e.status, e.recordsSeen, e.recordsInserted])).toEqual([
      ['users', 'completed', 2, 2],
      ['customers', 'cancelled', 100, 100],
    ]);
    expect(await findCancelTarget(pool, syncId)).toMatchObject({ state: 'ended', status: 'cancelled' });
  });

  it('when a run is cancelled, then the dashboard is told at once (a sync_runs change notice)', async () => {
    const { heard, end } = await listenChanges(db.url);
    try {
      const syncId = newSyncId();
      await apply(...started(syncId));
      await apply(cancelled(syncId));
      await waitFor(() => heard.length > 0, { timeoutMs: 5000, description: 'a notice' });
      expect(heard).toEqual([{ table: 'sync_runs', inserted: 0, updated: 1, syncIds: [syncId] }]);
    } finally {
      await end();
    }
  });

  it('when a run cancelled before it started is projected, then it appears as cancelled with no entity rows', async () => {
    const syncId = newSyncId();
    await apply(cancelled(syncId, false));
    expect(await getRun(pool, syncId)).toMatchObject({
      status: 'cancelled',
      syncType: 'full',
      entityLogs: [],
    });
  });

  it('when a SyncCancelled comes for a run that already completed, then the run is left as it was', async () => {
    const syncId = newSyncId();
    const base = { version: 1 as const, syncId, source: 'repcard' as const };
    await apply(...started(syncId).slice(0, 3), {
      type: 'SyncCompleted',
      ...base,
      at: at(3),
      fetched: 2,
      failedEntities: [],
    });
    await withTransaction(pool, (c) =>
      addTallies(
        c,
        'repcard',
        'users',
        new Map([[syncId, { inserted: 2, updated: 0, unchanged: 0, failed: 0 }]]),
      ),
    );
    await apply(cancelled(syncId));
    expect(await getRun(pool, syncId)).toMatchObject({ status: 'completed', errorMessage: null });
  });

  it('when an id is unknown to the read models and there is no scheduler table, then there is no cancel target', async () => {
    expect(await findCancelTarget(pool, newSyncId())).toBeNull();
  });

  it('when an id is not a UUID (a NUL, a path), then there is no cancel target and no query fails', async () => {
    for (const id of ['nope', 'a\u0000b', '../x']) expect(await findCancelTarget(pool, id)).toBeNull();
  });
});
