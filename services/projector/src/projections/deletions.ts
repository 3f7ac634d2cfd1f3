import type { PoolClient } from 'pg';
import { TOPICS, type SyncEvent } from '@tributary/contracts';
import type { Logger, Metrics } from '@tributary/observability';
import { DEFAULT_DELETION_MAX_RATIO } from '../core/deletion-guard';
import { requestSweeps, runReadySweeps, type SweepReport, type SweepRequest } from '../core/deletion-sweep';
import { changed, type Notice } from '../core/notices';
import type { TableSpec } from '../core/table-spec';
import { CURAGENESIS_TABLES } from './curagenesis/tables';
import { queueDeletionEvents } from './deletion-outbox';
import type { BatchInput } from './project-batches';
import { REPCARD_TABLES } from './repcard/tables';

/** How deletions are detected (ADR 0018): the guard's ratio, and where sweeps are reported. */
export interface DeletionOptions {
  /** The most a complete full sync may mark deleted, as a share of the entity's live rows (default 5 %). */
  maxRatio?: number;
  logger?: Logger;
}

/** Each entity table, by `source/entity`. */
const TABLES = new Map<string, TableSpec>([
  ...Object.entries(REPCARD_TABLES).map(([e, spec]) => [`repcard/${e}`, spec] as const),
  ...Object.entries(CURAGENESIS_TABLES).map(([e, spec]) => [`curagenesis/${e}`, spec] as const),
]);

export const tableOf = (source: string, entity: string): TableSpec | undefined =>
  TABLES.get(`${source}/${entity}`);

/** Every table a deletion sweep may mark (the label values of its metrics). */
export function sweptTables(): string[] {
  return [...TABLES.values()].map((spec) => spec.table);
}

/** The sync runs the records and events of these batches belong to. */
function syncIdsOf(batches: readonly BatchInput[]): string[] {
  const ids = new Set<string>();
  for (const b of batches) {
    for (const m of b.messages) {
      const syncId = (m.value as { syncId?: unknown } | null)?.syncId;
      if (typeof syncId === 'string') ids.add(syncId);
    }
  }
  return [...ids];
}

/** The entities whose ingest said it read all of them (EntityCompleted.wholeEntity). */
function sweepRequestsOf(batches: readonly BatchInput[]): SweepRequest[] {
  return batches
    .filter((b) => b.topic === TOPICS.syncEvents)
    .flatMap((b) => b.messages.map((m) => m.value as SyncEvent))
    .flatMap((e) =>
      e.type === 'EntityCompleted' && e.wholeEntity === true
        ? [{ syncId: e.syncId, source: e.source, entity: e.entity }]
        : [],
    );
}

/**
 * The deletion step of a projector transaction, after every batch was projected (ADR 0018): a
 * complete full sync of an entity (EntityCompleted.wholeEntity) is remembered, and swept in the
 * transaction where its last record is accounted for (its sync_log row `completed`, whichever of
 * the records and the event came last). Cost when there is nothing to sweep: one indexed query per
 * transaction that carries records or events of a sync run.
 */
export async function sweepDeletions(
  db: PoolClient,
  batches: readonly BatchInput[],
  options: DeletionOptions = {},
  metrics?: Metrics,
): Promise<Notice[]> {
  await requestSweeps(db, sweepRequestsOf(batches));
  const maxRatio = options.maxRatio ?? DEFAULT_DELETION_MAX_RATIO;
  const reports = await runReadySweeps(db, syncIdsOf(batches), tableOf, maxRatio);
  await queueDeletionEvents(db, reports, tableOf); // ADR 0024: published by deletion-relay.ts
  return reports.flatMap((r) => report(r, options.logger, metrics));
}

function report(r: SweepReport, logger: Logger | undefined, metrics: Metrics | undefined): Notice[] {
  const fields = { syncId: r.syncId, source: r.source, entity: r.entity, live: r.live, unseen: r.unseen };
  if (r.decision.mark) {
    metrics?.counter('tributary_projector_deletion_sweeps_total').inc({ table: r.table, outcome: 'marked' });
    metrics?.counter('tributary_projector_rows_deleted_total').inc({ table: r.table }, r.marked);
    logger?.info(
      'projector.deletions.marked',
      `${r.source} ${r.entity}: ${r.marked} rows not seen by full sync ${r.syncId} marked deleted`,
      { ...fields, marked: r.marked },
    );
    return changed(r.table, 0, r.marked, [r.syncId]);
  }
  metrics?.counter('tributary_projector_deletion_sweeps_total').inc({ table: r.table, outcome: 'skipped' });
  logger?.warn('projector.deletions.skipped', `${r.source} ${r.entity}: ${r.decision.note}`, fields);
  return [];
}
