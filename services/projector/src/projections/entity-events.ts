import type { PoolClient } from 'pg';
import { isRecordDeleted, topicEntity, type RecordDeleted, type RecordObserved } from '@tributary/contracts';
import type { Logger, Metrics } from '@tributary/observability';
import { changed, type Notice } from '../core/notices';
import type { TableSpec } from '../core/table-spec';
import { comparable, countDriftSeen, runObservations } from './drift-seen';
import type { BatchInput } from './project-batches';

/** The read-model table of an entity (deletions.ts `tableOf`). */
export type TableOf = (source: string, entity: string) => TableSpec | undefined;

/** What the entity topics carry besides ordinary observations, taken apart before the projections run. */
export interface EntityEventSplit {
  /** The same batches, in the same order, without their RecordDeleted events. */
  observed: BatchInput[];
  deleted: { spec: TableSpec; events: RecordDeleted[] }[];
  /** Repair observations (origin `repair`, ADR 0024) by table. */
  repairs: { spec: TableSpec; events: RecordObserved[] }[];
  /** Every other record of each entity table's batches (the drift check reads the sync runs' ones). */
  records: { source: string; entity: string; spec: TableSpec; values: unknown[] }[];
}

/** Pure: splits the batches' RecordDeleted events off and picks the repairs out, by table. */
export function splitEntityEvents(batches: readonly BatchInput[], tableOf: TableOf): EntityEventSplit {
  const deleted = new Map<TableSpec, RecordDeleted[]>();
  const repairs = new Map<TableSpec, RecordObserved[]>();
  const records = new Map<
    TableSpec,
    { source: string; entity: string; spec: TableSpec; values: unknown[] }
  >();
  const observed = batches.map((b): BatchInput => {
    const at = topicEntity(b.topic);
    const spec = at ? tableOf(at.source, at.entity) : undefined;
    if (!at || !spec) return b;
    const own = records.get(spec) ?? { ...at, spec, values: [] };
    records.set(spec, own);
    const kept = b.messages.filter((m) => {
      if (isRecordDeleted(m.value)) {
        deleted.set(spec, [...(deleted.get(spec) ?? []), m.value]);
        return false;
      }
      const event = m.value as RecordObserved;
      if (event?.origin === 'repair') repairs.set(spec, [...(repairs.get(spec) ?? []), event]);
      else own.values.push(m.value);
      return true;
    });
    return kept.length === b.messages.length ? b : { ...b, messages: kept };
  });
  return {
    observed,
    deleted: [...deleted].map(([spec, events]) => ({ spec, events })),
    repairs: [...repairs].map(([spec, events]) => ({ spec, events })),
    records: [...records.values()],
  };
}

/**
 * A RecordDeleted by the rule of ADR 0018, idempotent and independent of the order it meets the
 * observations in: the row is marked when its absence is later than its last sighting, and kept
 * marked by the first deletion (the sweep that published it already marked it: nothing to do).
 */
async function applyDeletions(
  db: PoolClient,
  spec: TableSpec,
  all: readonly RecordDeleted[],
): Promise<number> {
  const events = all.filter((e) => comparable(spec, e.id, e.deletedAt));
  if (events.length === 0) return 0;
  const res = await db.query(
    `UPDATE ${spec.table} AS t SET deleted_at = d.at, deleted_by_sync_id = d.sync_id
     FROM unnest($1::${spec.keyType}[], $2::timestamptz[], $3::text[]) AS d(key, at, sync_id)
     WHERE t.${spec.key} = d.key AND t.deleted_at IS NULL AND (t.last_seen_at IS NULL OR t.last_seen_at < d.at)`,
    [events.map((e) => e.id), events.map((e) => e.deletedAt), events.map((e) => e.syncId)],
  );
  return res.rowCount ?? 0;
}

/**
 * Lets a repair through the monotonic version guard for its record only (ADR 0024): a stored
 * version newer than the repair's is lowered to just below it, so the ordinary upsert that follows
 * in the same transaction writes the source's answer (lineage `_observed_via = 'repair'`). Rows at
 * or below the repair's version are left alone (the upsert decides as always).
 */
export async function admitRepairs(
  db: PoolClient,
  spec: TableSpec,
  all: readonly RecordObserved[],
): Promise<number> {
  const events = all.filter((e) => comparable(spec, e.id, e.sourceUpdatedAt ?? e.observedAt));
  if (events.length === 0) return 0;
  const res = await db.query(
    `UPDATE ${spec.table} AS t SET version_at = d.v - interval '1 microsecond'
     FROM unnest($1::${spec.keyType}[], $2::timestamptz[]) AS d(key, v)
     WHERE t.${spec.key} = d.key AND t.version_at > d.v`,
    [events.map((e) => e.id), events.map((e) => e.sourceUpdatedAt ?? e.observedAt)],
  );
  return res.rowCount ?? 0;
}

/**
 * The step before the projections of a projector transaction (ADR 0024): RecordDeleted events are
 * taken out of the batches (no projection plans them; `applyDeleted` applies them after the
 * projections, so a row inserted by the same transaction is marked too), the drift the sync runs'
 * records show is counted, repairs are admitted past the version guard.
 */
export async function prepareEntityEvents(
  db: PoolClient,
  batches: readonly BatchInput[],
  tableOf: TableOf,
  options: { logger?: Logger; metrics?: Metrics } = {},
): Promise<EntityEventSplit> {
  const { logger, metrics } = options;
  const split = splitEntityEvents(batches, tableOf);
  for (const { source, entity, spec, values } of split.records) {
    await countDriftSeen(db, source, entity, spec, runObservations(values), logger, metrics);
  }
  for (const { spec, events } of split.repairs) {
    const admitted = await admitRepairs(db, spec, events);
    metrics?.counter('tributary_projector_repairs_total').inc({ table: spec.table }, admitted);
  }
  return split;
}

/** The RecordDeleted events taken out by prepareEntityEvents, applied; their change notices. */
export async function applyDeleted(
  db: PoolClient,
  split: Pick<EntityEventSplit, 'deleted'>,
  metrics?: Metrics,
): Promise<Notice[]> {
  const notices: Notice[] = [];
  for (const { spec, events } of split.deleted) {
    const marked = await applyDeletions(db, spec, events);
    metrics?.counter('tributary_projector_deletion_events_total').inc({ table: spec.table }, events.length);
    notices.push(...changed(spec.table, 0, marked, [...new Set(events.map((e) => e.syncId))]));
  }
  return notices;
}
