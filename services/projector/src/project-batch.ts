import type { PoolClient } from 'pg';
import { TOPICS, topicEntity, type RecordObserved, type SyncEvent } from '@tributary/contracts';
import type { Metrics } from '@tributary/observability';
import { applyLinks, upsertRows } from './data-access/upsert';
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

/** One batch of one topic-partition, in offset order. */
export interface BatchInput {
  topic: string;
  partition: number;
  messages: readonly BatchMessage[];
}

/**
 * Applies one batch of one topic-partition inside the caller's transaction: rows, links, sync-log
 * counts and a NOTIFY (delivered on commit). Returns the records that failed, for the DLQ. The
 * consumed offsets are stored by the consumer runtime's checkpointer, in the same transaction.
 */
export async function projectBatch(
  db: PoolClient,
  topic: string,
  partition: number,
  messages: readonly BatchMessage[],
  metrics?: Metrics,
): Promise<BatchOutcome> {
  const [outcome] = await projectBatches(db, [{ topic, partition, messages }], metrics);
  return outcome!;
}

/**
 * Applies several batches (of different partitions) inside the caller's transaction, each as
 * `projectBatch` would, then sends every NOTIFY in one statement (the consumed offsets are the
 * caller's: its checkpointer stores them in the same transaction). Batches of one topic are applied
 * together, as one batch: a key's records are all in one partition (records are keyed by their id), each partition's order is kept, and what one
 * transaction per fetch saves is round trips. Outcomes in batch order.
 */
export async function projectBatches(
  db: PoolClient,
  batches: readonly BatchInput[],
  metrics?: Metrics,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = batches.map(() => ({ failures: [] }));
  const byTopic = new Map<string, number[]>();
  batches.forEach((b, i) => {
    if (b.messages.length === 0) return;
    byTopic.set(b.topic, [...(byTopic.get(b.topic) ?? []), i]);
  });
  const notices: ChangeNotice[] = [];
  for (const [topic, indexes] of byTopic) {
    // One batch of the topic's records; its offsets are positions, mapped back to each batch's own.
    const origin: { batch: number; offset: string }[] = [];
    const combined: BatchMessage[] = [];
    for (const i of indexes) {
      for (const m of batches[i]!.messages) {
        combined.push({ offset: String(origin.length), value: m.value });
        origin.push({ batch: i, offset: m.offset });
      }
    }
    const { failures, notice } = await applyBatch(db, topic, combined, metrics);
    for (const f of failures) {
      const from = origin[Number(f.offset)]!;
      outcomes[from.batch]!.failures.push({ ...f, offset: from.offset });
    }
    if (notice) notices.push(notice);
  }
  if (notices.length > 0) {
    await db.query(
      `SELECT pg_notify($1, x.notice) FROM unnest($2::text[]) WITH ORDINALITY AS x(notice, n) ORDER BY x.n`,
      [CHANGES_CHANNEL, notices.map((n) => JSON.stringify(n))],
    );
  }
  return outcomes;
}

/** The rows, links and sync-log counts of one batch; its change notice (null when nothing changed). */
async function applyBatch(
  db: PoolClient,
  topic: string,
  messages: readonly BatchMessage[],
  metrics?: Metrics,
): Promise<{ failures: RecordFailure[]; notice: ChangeNotice | null }> {
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
  return { failures, notice };
}
