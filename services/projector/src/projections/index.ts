import type { PoolClient } from 'pg';
import type { Metrics } from '@tributary/observability';
import { curagenesisProjection, curagenesisWebhooksProjection } from './curagenesis';
import {
  projectBatchesWith,
  projectionsByTopic,
  type BatchInput,
  type BatchOutcome,
} from './project-batches';
import type { AnyProjection, ProjectedRecord } from './projection';
import { sweepDeletions, tableOf, type DeletionOptions } from './deletions';
import { applyDeleted, prepareEntityEvents } from './entity-events';
import { repcardProjection } from './repcard';
import { syncLogProjection } from './sync-log';

export type { BatchInput, BatchOutcome } from './project-batches';
export { sweptTables, type DeletionOptions } from './deletions';
export type { AnyProjection, Planned, ProjectedRecord, Projection } from './projection';
export type { RecordFailure } from '../core/record-failure';

/**
 * The projector's projections: every topic it reads, and what turns it into read models. A new
 * source is one folder beside these and one line here.
 */
export const PROJECTIONS: readonly AnyProjection[] = [
  syncLogProjection,
  repcardProjection,
  curagenesisProjection,
  curagenesisWebhooksProjection,
];

/** The dispatch table, built once: each topic to its one projection. */
const BY_TOPIC = projectionsByTopic(PROJECTIONS);

/** The topics the projector turns into read models, in registry order. */
export function projectedTopics(): string[] {
  return PROJECTIONS.flatMap((p) => p.topics);
}

/**
 * Applies several batches (of different partitions) inside the caller's transaction: rows, links,
 * sync-log counts, the deletion sweeps the batches complete (ADR 0018), then every NOTIFY in one statement. Does not store offsets (the caller's
 * checkpointer does, in the same transaction). One outcome per batch, in order.
 */
export async function projectBatches(
  db: PoolClient,
  batches: readonly BatchInput[],
  metrics?: Metrics,
  deletions: DeletionOptions = {},
): Promise<BatchOutcome[]> {
  // ADR 0024: drift counted, repairs let past the version guard, RecordDeleted applied after the rows.
  const split = await prepareEntityEvents(db, batches, tableOf, { logger: deletions.logger, metrics });
  return projectBatchesWith(BY_TOPIC, db, split.observed, metrics, async (tx, all) => [
    ...(await applyDeleted(tx, split, metrics)),
    ...(await sweepDeletions(tx, all, deletions, metrics)),
  ]);
}

/** One batch of one topic-partition, as `projectBatches` applies it. */
export async function projectBatch(
  db: PoolClient,
  topic: string,
  partition: number,
  messages: readonly ProjectedRecord[],
  metrics?: Metrics,
): Promise<BatchOutcome> {
  const [outcome] = await projectBatches(db, [{ topic, partition, messages }], metrics);
  return outcome!;
}
