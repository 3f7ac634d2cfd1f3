import type { SyncEvent } from '@tributary/contracts';
import type { ProjectedRecord } from '../projection';
import type { RecordFailure } from '../../core/record-failure';

/** A batch of sync.events: its lifecycle events, in order (each is applied by an idempotent statement). */
export interface SyncLogPlan {
  events: SyncEvent[];
  failures: RecordFailure[];
}

export function planSyncLog(records: readonly ProjectedRecord<SyncEvent>[]): SyncLogPlan {
  return { events: records.map((r) => r.value), failures: [] };
}
