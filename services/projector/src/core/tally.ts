import type { SyncTally } from '@tributary/read-model';
import type { Outcome, PlannedWrite, RowChanges } from './row-changes';

/** Counts per sync run: each write by its outcome, superseded observations unchanged, failures failed. */
export function tallyBySync(
  changes: Pick<RowChanges, 'runs' | 'superseded' | 'failures'>,
  outcomes: ReadonlyMap<PlannedWrite, Outcome>,
): Map<string, SyncTally> {
  const tallies = new Map<string, SyncTally>();
  const of = (syncId: string | null): SyncTally | undefined => {
    if (syncId === null) return undefined;
    let t = tallies.get(syncId);
    if (!t) tallies.set(syncId, (t = { inserted: 0, updated: 0, unchanged: 0, failed: 0 }));
    return t;
  };
  for (const run of changes.runs) {
    for (const w of run.writes) {
      const t = of(w.syncId);
      if (t) t[outcomes.get(w) ?? 'unchanged'] += 1;
    }
  }
  for (const s of changes.superseded) {
    const t = of(s.syncId);
    if (t) t.unchanged += 1;
  }
  for (const f of changes.failures) {
    const t = of(f.syncId);
    if (t) t.failed += 1;
  }
  return tallies;
}
