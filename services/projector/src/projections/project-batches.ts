import type { PoolClient } from 'pg';
import { TributaryError } from '@tributary/core';
import type { Metrics } from '@tributary/observability';
import { sendNotices, type Notice } from '../core/notices';
import type { RecordFailure } from '../core/record-failure';
import { makeDecodedStorable } from '../core/storable-decoded';
import { projectRecords, type RecordOrigin } from './project-records';
import type { AnyProjection, ProjectedRecord } from './projection';

/** One batch of one topic-partition, in offset order. */
export interface BatchInput {
  topic: string;
  partition: number;
  messages: readonly ProjectedRecord[];
}

export interface BatchOutcome {
  failures: RecordFailure[];
}

/**
 * A step after every batch of the transaction was projected, before the NOTIFYs (the deletion sweep,
 * ADR 0018): it sees the whole transaction's batches and returns its own notices.
 */
export type AfterProjection = (db: PoolClient, batches: readonly BatchInput[]) => Promise<Notice[]>;

/** The dispatch table: each topic to the one projection that handles it. */
export function projectionsByTopic(
  projections: readonly AnyProjection[],
): ReadonlyMap<string, AnyProjection> {
  const byTopic = new Map<string, AnyProjection>();
  for (const p of projections) {
    for (const topic of p.topics) {
      const other = byTopic.get(topic);
      if (other) {
        throw new TributaryError(
          'PROJECTION_REGISTRY_INVALID',
          `${topic} is projected by both ${other.name} and ${p.name}`,
          {
            details: { topic },
          },
        );
      }
      byTopic.set(topic, p);
    }
  }
  return byTopic;
}

/**
 * Applies several batches (of different partitions) inside the caller's transaction: each topic's
 * records through its projection (rows, links, sync-log counts), then every NOTIFY in one statement.
 * Batches of one topic are planned and applied as one batch: a key's records are all in one partition
 * (records are keyed by their id), each partition's order is kept, and what one transaction per fetch
 * saves is round trips. Strings PostgreSQL cannot store are made storable first, and a record it
 * still refuses is isolated and reported as a failure (projectRecords, ADR 0010). The consumed
 * offsets are the caller's (its checkpointer stores them in the same transaction). `after` runs
 * once every batch is applied. Outcomes in batch order.
 */
export async function projectBatchesWith(
  byTopic: ReadonlyMap<string, AnyProjection>,
  db: PoolClient,
  batches: readonly BatchInput[],
  metrics?: Metrics,
  after?: AfterProjection,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = batches.map(() => ({ failures: [] }));
  const indexesByTopic = new Map<string, number[]>();
  batches.forEach((b, i) => {
    if (b.messages.length === 0) return;
    indexesByTopic.set(b.topic, [...(indexesByTopic.get(b.topic) ?? []), i]);
  });
  const notices: Notice[] = [];
  for (const [topic, indexes] of indexesByTopic) {
    const projection = byTopic.get(topic);
    if (!projection) {
      throw new TributaryError('PROJECTION_REGISTRY_INVALID', `no projection handles ${topic}`, {
        details: { topic },
      });
    }
    // One batch of the topic's records, each made storable; its offsets are positions, mapped back
    // to each batch's own.
    const origins: RecordOrigin[] = [];
    const records: ProjectedRecord[] = [];
    for (const i of indexes) {
      const { partition } = batches[i]!;
      for (const m of batches[i]!.messages) {
        const storable = makeDecodedStorable(m.value, m.noUnicodeEscapes);
        records.push({
          offset: String(origins.length),
          value: storable.value,
          at: { topic, partition, offset: m.offset },
        });
        origins.push({ batch: i, topic, partition, offset: m.offset, replaced: storable.replaced });
      }
    }
    const projected = await projectRecords(db, projection, topic, records, origins, metrics);
    notices.push(...projected.notices);
    for (const f of projected.failures) {
      const from = origins[Number(f.offset)]!;
      outcomes[from.batch]!.failures.push({ ...f, offset: from.offset });
    }
  }
  if (after) notices.push(...(await after(db, batches)));
  await sendNotices(db, notices);
  return outcomes;
}
