import type { SyncEvent } from '@tributary/contracts';
import { planSyncLog } from '../src/projections/sync-log/plan';

const completed: SyncEvent = {
  type: 'SyncCompleted',
  version: 1,
  syncId: '00000000-0000-4000-8000-000000000001',
  source: 'repcard',
  at: '2026-01-01T00:00:00.000Z',
  fetched: 3,
  failedEntities: [],
};

describe('planSyncLog', () => {
  it('when events come (the same one twice, too), then each is applied in order: its statement is idempotent', () => {
    const plan = planSyncLog([
      { offset: '1', value: completed },
      { offset: '2', value: completed },
    ]);
    expect(plan).toEqual({ events: [completed, completed], failures: [] });
  });
});
