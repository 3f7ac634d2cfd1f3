import { TOPICS, type SyncEvent } from '@tributary/contracts';
import { applySyncEvent } from '@tributary/read-model';
import { changed } from '../../core/notices';
import type { Projection } from '../projection';
import { planSyncLog, type SyncLogPlan } from './plan';

/** sync.events → sync_runs / sync_log (the writes are @tributary/read-model's, which owns that schema). */
export const syncLogProjection: Projection<SyncEvent, SyncLogPlan> = {
  name: 'sync-log',
  topics: [TOPICS.syncEvents],
  plan: (_topic, records) => planSyncLog(records),
  // Sync events count for no run's tallies: a refused one is only dead-lettered.
  identify: (e) => ({ entity: e.type, id: e.syncId, syncId: null }),
  async apply(db, plan) {
    for (const e of plan.events) await applySyncEvent(db, e);
    // A cancel ends a run at once, with no rows to count after it: the dashboard hears of it here.
    const cancelled = plan.events.filter((e) => e.type === 'SyncCancelled').map((e) => e.syncId);
    return changed('sync_runs', 0, cancelled.length, cancelled);
  },
};
