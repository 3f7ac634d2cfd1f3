import type { Outcome } from '../data-access/upsert';
import type { BatchPlan } from './plan-batch';

export interface Tally {
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** Attributes every record of a batch to its sync run: written rows by outcome, the rest unchanged or failed. */
export function tallyBySync(plan: BatchPlan, outcomes: Map<string, Outcome>, key: string): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const of = (syncId: string | null): Tally | undefined => {
    if (syncId === null) return undefined;
    let t = tallies.get(syncId);
    if (!t) tallies.set(syncId, (t = { inserted: 0, updated: 0, unchanged: 0, failed: 0 }));
    return t;
  };
  for (const w of plan.writes) {
    const t = of(w.syncId);
    if (t) t[outcomes.get(String(w.row[key])) ?? 'unchanged'] += 1;
  }
  for (const s of plan.superseded) {
    const t = of(s.syncId);
    if (t) t.unchanged += 1;
  }
  for (const f of plan.failures) {
    const t = of(f.syncId);
    if (t) t.failed += 1;
  }
  return tallies;
}
