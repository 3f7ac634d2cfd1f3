import { recordSchema, type RecordObserved } from '@tributary/contracts';
import type { RowWrite } from '../data-access/upsert';
import type { TableSpec } from './table-spec';
import type { Json } from './values';

export interface PlannedMessage {
  offset: string;
  event: RecordObserved;
}

export interface RecordFailure {
  offset: string;
  syncId: string | null;
  error: string;
}

/** What one batch of one entity topic does: rows to write (newest per id) and records that fail. */
export interface BatchPlan {
  writes: RowWrite[];
  /** syncId of every write, per source id (to attribute the outcome to its sync run). */
  superseded: { syncId: string | null }[];
  failures: RecordFailure[];
}

/**
 * Validates each observed record against its entity's schema and maps it to a row. A record that
 * fails is reported (it goes to the DLQ and counts as failed for its sync); several observations of
 * one id in a batch collapse to the newest (the others count as unchanged).
 */
export function planBatch(spec: TableSpec, messages: readonly PlannedMessage[]): BatchPlan {
  const newest = new Map<string, RowWrite>();
  const superseded: { syncId: string | null }[] = [];
  const failures: RecordFailure[] = [];
  for (const { offset, event } of messages) {
    const parsed = recordSchema(event.source, event.entity).safeParse(event.payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(record)';
      failures.push({ offset, syncId: event.syncId, error: `malformed ${event.entity} record ${event.id}: ${field}: ${issue?.message ?? 'invalid'}` });
      continue;
    }
    const row = spec.map(parsed.data as Json);
    if (row[spec.key] === null || row[spec.key] === undefined) {
      failures.push({ offset, syncId: event.syncId, error: `malformed ${event.entity} record ${event.id}: no ${spec.key}` });
      continue;
    }
    const write: RowWrite = {
      row,
      rawData: event.payload,
      versionAt: event.sourceUpdatedAt ?? event.observedAt,
      observedAt: event.observedAt,
      syncId: event.syncId,
    };
    const key = String(row[spec.key]);
    const previous = newest.get(key);
    if (previous && newerOrEqual(previous, write)) {
      superseded.push({ syncId: write.syncId });
      continue;
    }
    if (previous) superseded.push({ syncId: previous.syncId });
    newest.set(key, write);
  }
  return { writes: [...newest.values()], superseded, failures };
}

/** Later messages win ties (they were observed later). */
function newerOrEqual(a: RowWrite, b: RowWrite): boolean {
  return Date.parse(a.versionAt) > Date.parse(b.versionAt);
}
