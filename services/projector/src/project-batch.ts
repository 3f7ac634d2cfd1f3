import type { PoolClient } from 'pg';
import { TOPICS, topicEntity, type RecordObserved, type SyncEvent } from '@tributary/contracts';
import type { Metrics } from '@tributary/observability';
import { applyLinks, upsertRows } from './data-access/upsert';
import { saveNextOffset } from './data-access/offsets';
import { addTallies, applySyncEvent } from './data-access/sync-log';
import { isCuragenesisTopic, projectCuragenesis } from './curagenesis/project-curagenesis';
import { CHANGES_CHANNEL, type ChangeNotice } from './domain/notify';
import { planBatch, type RecordFailure } from './domain/plan-batch';
import { REPCARD_TABLES } from './domain/repcard-tables';
import { tallyBySync } from './domain/tally';
import type { TableSpec } from './domain/table-spec';

export interface BatchMessage<T = unknown> {
  offset: string;
  value: T;
}

export interface BatchOutcome {
  failures: RecordFailure[];
}

export function tableFor(topic: string): TableSpec | undefined {
  const te = topicEntity(topic);
  if (!te || te.source !== 'repcard') return undefined;
  return REPCARD_TABLES[te.entity as keyof typeof REPCARD_TABLES];
}

/**
 * Applies one batch of one topic-partition inside the caller's transaction: rows, links, sync-log
 * counts, the next offset, and a NOTIFY (delivered on commit). Returns the records that failed, for
 * the DLQ.
 */
export async function projectBatch(
  db: PoolClient,
  group: string,
  topic: string,
  partition: number,
  messages: readonly BatchMessage[],
  metrics?: Metrics,
): Promise<BatchOutcome> {
  const last = messages[messages.length - 1];
  if (!last) return { failures: [] };
  let failures: RecordFailure[] = [];
  let notice: ChangeNotice | null = null;
  if (topic === TOPICS.syncEvents) {
    for (const m of messages) await applySyncEvent(db, m.value as SyncEvent);
  } else if (isCuragenesisTopic(topic)) {
    ({ failures, notice } = await projectCuragenesis(db, topic, messages, metrics));
  } else {
    const spec = tableFor(topic);
    const te = topicEntity(topic);
    if (spec && te) {
      const plan = planBatch(spec, messages.map((m) => ({ offset: m.offset, event: m.value as RecordObserved })));
      const outcomes = await upsertRows(db, spec, plan.writes);
      await applyLinks(db, spec, plan.writes.map((w) => String(w.row[spec.key])));
      await addTallies(db, te.source, te.entity, tallyBySync(plan, outcomes, spec.key));
      failures = plan.failures;
      let inserted = 0;
      let updated = 0;
      for (const o of outcomes.values()) {
        if (o === 'inserted') inserted++;
        else if (o === 'updated') updated++;
        metrics?.counter('tributary_projector_rows_upserted_total').inc({ table: spec.table, outcome: o });
      }
      const syncIds = [...new Set(plan.writes.map((w) => w.syncId).filter((s): s is string => s !== null))];
      if (inserted + updated > 0) notice = { table: spec.table, inserted, updated, syncIds };
    }
  }
  await saveNextOffset(db, group, topic, partition, (BigInt(last.offset) + 1n).toString());
  if (notice) await db.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]);
  return { failures };
}
