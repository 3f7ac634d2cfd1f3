import type { PoolClient } from 'pg';
import type { Metrics } from '@tributary/observability';
import { addTallies } from '@tributary/read-model';
import { changed, type Notice } from './notices';
import type { Outcome, PlannedWrite, RowChanges } from './row-changes';
import { tallyBySync } from './tally';
import { applyLinks } from './upsert';
import { prepareRun, upsertRun } from './write-path';

/**
 * Writes a batch's row changes inside the caller's transaction: each run in one upsert (COPY and a
 * set-based upsert for a large run, a multi-row upsert for a small one: upsertRun), then the
 * table's links, then the sync-log counts. Returns the table's change notice (none when nothing changed).
 * `whilePostgresWorks` runs while PostgreSQL executes the first upsert (Projection.chunkKey).
 */
export async function applyRowChanges(
  db: PoolClient,
  changes: RowChanges,
  metrics?: Metrics,
  whilePostgresWorks?: () => void,
): Promise<Notice[]> {
  const { spec } = changes;
  const outcomes = new Map<PlannedWrite, Outcome>();
  // The first (in a backlog: the only, and largest) run's upsert carries the overlapped work.
  let overlap = whilePostgresWorks;
  for (const run of changes.runs) {
    const byKey = await upsertRun(db, spec, run.writes, {
      insertOnly: run.insertOnly,
      mergeRawData: run.mergeRawData,
      sameContentIsUnchanged: spec.sameContentIsUnchanged,
      whileUpserting: overlap,
    });
    overlap = undefined;
    for (const w of run.writes) outcomes.set(w, byKey.get(w.key) ?? 'unchanged');
  }
  await applyLinks(db, spec, [...new Set(changes.runs.flatMap((r) => r.writes.map((w) => w.key)))]);
  await addTallies(db, changes.source, changes.entity, tallyBySync(changes, outcomes));
  const counts: Record<Outcome, number> = { inserted: 0, updated: 0, unchanged: 0 };
  const syncIds = new Set<string>();
  for (const [w, o] of outcomes) {
    counts[o] += 1;
    if (w.syncId !== null) syncIds.add(w.syncId);
  }
  // One increment per outcome and batch (a labelled increment per row cost more than its row's plan).
  for (const outcome of ['inserted', 'updated', 'unchanged'] as const) {
    if (counts[outcome] > 0) {
      metrics
        ?.counter('tributary_projector_rows_upserted_total')
        .inc({ table: spec.table, outcome }, counts[outcome]);
    }
  }
  return changed(spec.table, counts.inserted, counts.updated, [...syncIds]);
}

/** The CPU work of `applyRowChanges` that can be done ahead of it (each run's COPY text: prepareRun). */
export function prepareRowChanges(changes: RowChanges): void {
  for (const run of changes.runs) prepareRun(run.writes);
}
