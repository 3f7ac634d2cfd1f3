import type { PoolClient } from 'pg';
import type { Metrics } from '@tributary/observability';
import { applyIsolating } from '../core/isolate';
import type { Notice } from '../core/notices';
import { unstorable, type RecordFailure, type RecordPosition } from '../core/record-failure';
import { noteSanitized, type SanitizedNote } from '../core/sanitized-notes';
import { planAndApply } from './chunked-apply';
import type { AnyProjection, ProjectedRecord } from './projection';

/** Where a record of a topic's batch was read, and what was made storable in it (paths). */
export interface RecordOrigin extends RecordPosition {
  /** Index of its batch among those projected together. */
  batch: number;
  replaced: readonly string[];
}

export interface ProjectedRecords {
  notices: Notice[];
  /** At the records' positions in `records` (their `offset`). */
  failures: RecordFailure[];
}

/**
 * One topic's records through their projection, inside the caller's transaction and isolating what
 * PostgreSQL refuses (ADR 0010): lookup, plan and apply run under a savepoint, a part refused with a
 * data error is bisected down to the record. A refused record becomes a RECORD_UNSTORABLE failure
 * (dead-lettered by the consumer runtime) and is counted failed for its sync run; the rest is
 * applied. A record stored with a value made storable is noted (noteSanitized). `records[i].offset`
 * must be `String(i)`, its origin `origins[i]`.
 */
export async function projectRecords(
  db: PoolClient,
  projection: AnyProjection,
  topic: string,
  records: readonly ProjectedRecord[],
  origins: readonly RecordOrigin[],
  metrics?: Metrics,
): Promise<ProjectedRecords> {
  const origin = (r: ProjectedRecord): RecordOrigin => origins[Number(r.offset)]!;
  const { results, refused } = await applyIsolating(db, records, async (part) => {
    const { notices, failures } = await planAndApply(db, projection, topic, part, metrics);
    const failed = new Set(failures.map((f) => f.offset));
    const notes: SanitizedNote[] = part
      .filter((r) => origin(r).replaced.length > 0 && !failed.has(r.offset))
      .map((r) => ({
        at: position(origin(r)),
        record: projection.identify(r.value),
        replaced: origin(r).replaced,
      }));
    await noteSanitized(db, notes);
    return { notices, failures };
  });
  const out: ProjectedRecords = {
    notices: results.flatMap((r) => r.notices),
    failures: results.flatMap((r) => r.failures),
  };
  if (refused.length === 0) return out;
  const refusals = refused.map(({ item, error }) =>
    unstorable(item.offset, position(origin(item)), projection.identify(item.value), error),
  );
  out.failures.push(...refusals);
  // A plan of no records carrying the refusals: the projection counts them and writes nothing else.
  // Should even that be refused (e.g. a sync id PostgreSQL cannot index), the records still go to the DLQ.
  const counted = await applyIsolating(db, [refusals], async ([failures]) => {
    const plan = projection.plan(topic, [], undefined);
    plan.failures.push(...failures!);
    return projection.apply(db, plan, metrics);
  });
  out.notices.push(...counted.results.flat());
  return out;
}

function position(o: RecordOrigin): RecordPosition {
  return { topic: o.topic, partition: o.partition, offset: o.offset };
}
