import { TributaryError } from '@tributary/core';
import { groupCommit, type GroupCommitOptions } from '../group-commit';
import { nextPositions } from './checkpoint';
import type { DeadLetterStep } from './dead-letter';
import type { PartitionWork } from './decode';
import type { BatchContext, BatchOutcome, Checkpointer, DecodedBatch } from './types';

/**
 * Steps 3 to 5 up to the commit, for one batch with records: handle, dead-letter, and (with a
 * checkpointer) store the positions. Resolves once all that is durable.
 */
export type BatchRunner<T> = (work: PartitionWork<T>, ctx: BatchContext) => Promise<void>;

/**
 * A handler without a transaction of its own (Kafka holds its offsets): applies one batch and
 * returns the records it could never apply (or nothing). Throw a retriable TributaryError to have
 * the batch redelivered, anything else to stop the consumer.
 */
export type BatchHandler<T> = (batch: DecodedBatch<T>, ctx: BatchContext) => Promise<BatchOutcome | void>;

/** Handle, then dead-letter the handler's failures (and the batch's decode failures). */
export function directRunner<T>(handle: BatchHandler<T>, deadLetters: DeadLetterStep): BatchRunner<T> {
  return async (work, ctx) => {
    const outcome = await handle(work.batch, ctx);
    await deadLetters.write(work, outcome?.failures ?? []);
    await deadLetters.persist(undefined, [work]);
  };
}

/**
 * A handler that applies records in its own transactions, with the checkpoint in the same
 * transaction (exactly-once effect). Generic over the transaction type: this library never sees a
 * driver.
 */
export interface TransactionalHandler<T, Tx> {
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  /** Applies batches (of different partitions) in `tx`; one outcome per batch, in order. */
  handle(tx: Tx, batches: readonly DecodedBatch<T>[]): Promise<readonly BatchOutcome[]>;
  checkpointer: Checkpointer<Tx>;
}

/**
 * How the batches handed over together become transactions: group commit's options, and from how
 * many records a batch gets a transaction of its own, run beside those of the topic's other
 * partitions (up to `concurrency`; ADR 0023, addendum 3). Batches of one topic write rows of
 * different keys (a key's records are all in one partition); batches of different topics never
 * overlap (a child and its parent must see each other to link).
 */
export type TransactionalGroupCommit = Omit<GroupCommitOptions, 'soloLane'> & { soloFromRecords?: number };

/**
 * Group commit (ADR 0006): the batches of concurrently consumed partitions that arrive together
 * share ONE transaction, in which the handler applies them, their dead letters are written (and
 * counted against the limit: a breach rolls the whole transaction back) and the checkpointer
 * stores their positions. Each partition's batches still come one at a time and in order.
 */
export function transactionalRunner<T, Tx>(
  handler: TransactionalHandler<T, Tx>,
  options: { groupId: string; deadLetters: DeadLetterStep; groupCommit?: TransactionalGroupCommit },
): BatchRunner<T> {
  const { groupId, deadLetters } = options;
  const { soloFromRecords, ...groupCommitOptions } = options.groupCommit ?? {};
  const applyTogether = groupCommit<PartitionWork<T>>(
    (works) =>
      handler.transaction(async (tx) => {
        const batches = works.map((w) => w.batch);
        const outcomes = await handler.handle(tx, batches);
        if (outcomes.length !== batches.length) {
          throw new TributaryError(
            'CONSUMER_HANDLER_FAILED',
            `handle returned ${outcomes.length} outcomes for ${batches.length} batches`,
          );
        }
        // Dead letters are written before the commit: at worst a crash repeats one, never loses one.
        for (const [i, work] of works.entries()) await deadLetters.write(work, outcomes[i]!.failures);
        // The DLQ counts go with the checkpoint: a rolled-back batch counts nothing, a committed one holds across restarts.
        await deadLetters.persist(tx, works);
        await handler.checkpointer.store(tx, groupId, nextPositions(batches));
      }),
    {
      ...groupCommitOptions,
      soloLane:
        soloFromRecords === undefined
          ? undefined
          : // Each caller hands over one partition's work (below).
            ([work]) => (work!.batch.messages.length >= soloFromRecords ? work!.batch.topic : undefined),
    },
  );
  return (work) => applyTogether([work]);
}
