import type { PoolClient } from 'pg';
import { TributaryError } from '@tributary/core';
import { prepareRowChanges } from '../core/apply-row-changes';
import { applyIsolating } from '../core/isolate';
import type { RecordPosition } from '../core/record-failure';
import type { RowChanges } from '../core/row-changes';
import { makeDecodedStorable } from '../core/storable-decoded';
import type { TableSpec } from '../core/table-spec';
import { applyLinks } from '../core/upsert';
import { upsertRun } from '../core/write-path';
import type { AnyProjection, ProjectedRecord } from '../projections/projection';
import { shadowSpec } from './shadow-spec';

/** One decoded record of a source topic, where it was read. */
export interface ReplayedRecord {
  at: RecordPosition;
  value: unknown;
  /** Its bytes held no `\u` escape (holdsNoUnicodeEscape): nothing to make storable in it. */
  noUnicodeEscapes?: boolean;
}

export interface ShadowWrite {
  /** Records planned into row writes and written. */
  written: number;
  /** Records the plan or PostgreSQL refused (dead-lettered when the live projector met them). */
  failed: number;
}

function isRowChanges(plan: unknown): plan is RowChanges {
  const p = plan as Partial<RowChanges>;
  return typeof p === 'object' && p !== null && Array.isArray(p.runs) && typeof p.spec?.table === 'string';
}

/** One topic's records planned ahead of their write (so node plans while PostgreSQL writes). */
export interface PlannedShadow {
  projection: AnyProjection;
  topic: string;
  records: ProjectedRecord[];
  /** The plan of all `records`. */
  plan: RowChanges;
}

function planOf(projection: AnyProjection, topic: string, records: readonly ProjectedRecord[]): RowChanges {
  const plan = projection.plan(topic, records, undefined);
  if (!isRowChanges(plan)) {
    throw new TributaryError('REBUILD_UNSUPPORTED', `${projection.name} does not plan row changes`);
  }
  return plan;
}

/** Plans one topic's records with the projection's own `plan` and makes their COPY text (pure: no database). */
export function planShadow(
  projection: AnyProjection,
  topic: string,
  records: readonly ReplayedRecord[],
): PlannedShadow {
  if (projection.lookup) {
    throw new TributaryError('REBUILD_UNSUPPORTED', `${projection.name} reads the live tables to plan`);
  }
  const planned: ProjectedRecord[] = records.map((r, i) => ({
    offset: String(i),
    value: makeDecodedStorable(r.value, r.noUnicodeEscapes).value,
    at: r.at,
  }));
  const plan = planOf(projection, topic, planned);
  // Its COPY text too: made here, while PostgreSQL writes the previous chunk (ADR 0023).
  prepareRowChanges(plan);
  return { projection, topic, records: planned, plan };
}

/**
 * Writes planned records into the shadow tables inside the caller's transaction (ADR 0021): the
 * projector's write path (`upsertRun`: COPY and one set-based upsert for a large run; `applyLinks`)
 * with the table-name override `shadowSpec`. What the live path does besides rows is left out on
 * purpose: no sync-log tallies (the runs were counted when the live projector projected them), no
 * NOTIFY, no dead letters. A record PostgreSQL refuses is isolated (ADR 0010: the part is planned
 * again and bisected) and counted failed, as it was dead-lettered live. `whilePostgresWorks` runs
 * once, while the first upsert is in PostgreSQL's hands (the next chunk's plan, ADR 0023).
 */
export async function applyShadow(
  db: PoolClient,
  planned: PlannedShadow,
  tables: readonly string[],
  whilePostgresWorks?: () => void,
): Promise<ShadowWrite> {
  const { projection, topic, records } = planned;
  const shadows = new Map<string, TableSpec>();
  // Once: the first run's upsert (a chunk's only and largest) carries the overlapped work.
  let overlap = whilePostgresWorks;
  const { results, refused } = await applyIsolating(db, records, async (part) => {
    const plan = part.length === records.length ? planned.plan : planOf(projection, topic, part);
    let spec = shadows.get(plan.spec.table);
    if (!spec) shadows.set(plan.spec.table, (spec = shadowSpec(plan.spec, tables)));
    for (const run of plan.runs) {
      await upsertRun(db, spec, run.writes, {
        insertOnly: run.insertOnly,
        mergeRawData: run.mergeRawData,
        sameContentIsUnchanged: spec.sameContentIsUnchanged,
        whileUpserting: overlap,
      });
      overlap = undefined;
    }
    await applyLinks(db, spec, [...new Set(plan.runs.flatMap((r) => r.writes.map((w) => w.key)))]);
    return { written: part.length - plan.failures.length, failed: plan.failures.length };
  });
  return {
    written: results.reduce((n, r) => n + r.written, 0),
    failed: results.reduce((n, r) => n + r.failed, 0) + refused.length,
  };
}

/** Plans and writes one topic's records into the shadow tables (planShadow, then applyShadow). */
export function writeShadow(
  db: PoolClient,
  projection: AnyProjection,
  topic: string,
  records: readonly ReplayedRecord[],
  tables: readonly string[],
): Promise<ShadowWrite> {
  return applyShadow(db, planShadow(projection, topic, records), tables);
}
