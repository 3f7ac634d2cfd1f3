import { DependencyError, TributaryError, errorMessage } from '@tributary/core';
import { LogEvents } from '@tributary/observability';
import type { KafkaLogger } from '../client';
import { DlqLimit, DlqLimitExceededError, type DlqPolicy } from '../dlq-limit';
import { InMemoryDlqLimitStore, type DlqLimitStore, type PartitionLimitState } from '../dlq-limit-store';
import type { DeadLetterEntry, DlqRouter } from '../dlq';
import type { PartitionWork } from './decode';
import type { RecordFailure } from './types';

export interface DeadLetterStepOptions {
  groupId: string;
  router: Pick<DlqRouter, 'route'>;
  policy?: DlqPolicy;
  /** Where the counts are kept between batches and runs (default: in memory, for this consumer's life). */
  store?: DlqLimitStore<unknown>;
  logger?: KafkaLogger;
  /** Records the error that must stop the consumer (a crossed limit). */
  onFatal(error: TributaryError): void;
}

/**
 * Step 4, dead-letter: writes a batch's decode failures and the handler's failures to the DLQ, in
 * offset order, once the whole batch has been judged against the DlqPolicy (arroyo's `DlqLimit`):
 * a batch that would cross the limit writes nothing, and the consumer stops. Counts are per
 * partition and only count once the batch is checkpointed (`settle`), so a retried batch is not
 * counted twice. The counts are read from the DlqLimitStore (`restore`, once per partition and
 * assignment) and saved to it (`persist`) in the batch's transaction, before its checkpoint.
 */
export class DeadLetterStep {
  /** The counts of each partition's checkpointed batches. */
  private readonly limits = new Map<string, DlqLimit>();
  /** The counts a batch will leave behind once checkpointed. */
  private readonly pending = new WeakMap<PartitionWork<unknown>, { counts: DlqLimit; written: number }>();
  private readonly store: DlqLimitStore<unknown>;

  constructor(private readonly options: DeadLetterStepOptions) {
    this.store = options.store ?? new InMemoryDlqLimitStore();
  }

  /** Reads the partition's counts from the store, unless known since the last assignment. */
  async restore(work: PartitionWork<unknown>): Promise<void> {
    const { topic, partition } = work.batch;
    if (this.limits.has(keyOf(work))) return;
    const state = await this.storeCall('read', topic, partition, () =>
      this.store.load(this.options.groupId, topic, partition),
    );
    this.limits.set(keyOf(work), new DlqLimit(this.options.policy, state));
  }

  /** Forgets the counts read so far (a rebalance: another member may have counted since). */
  forget(): void {
    this.limits.clear();
  }

  /**
   * Saves the counts the batches leave behind, in `tx` (undefined: on the store's own). A batch whose
   * counts were and stay clean (no dead letter in the window or in a row) is not written.
   */
  async persist(tx: unknown, works: readonly PartitionWork<unknown>[]): Promise<void> {
    const states: PartitionLimitState[] = [];
    for (const work of works) {
      const counts = this.pending.get(work)?.counts ?? this.judge(work, new Set());
      this.pending.set(work, { counts, written: this.pending.get(work)?.written ?? 0 });
      const before = this.limits.get(keyOf(work));
      if (counts.clean && (before === undefined || before.clean)) continue;
      states.push({ topic: work.batch.topic, partition: work.batch.partition, state: counts.state() });
    }
    if (states.length === 0) return;
    const { topic, partition } = states[0]!;
    await this.storeCall('save', topic, partition, () => this.store.save(tx, this.options.groupId, states));
  }

  /** Throws DlqLimitExceededError (and records it as fatal) when the decode failures alone cross the limit. */
  precheck(work: PartitionWork<unknown>): void {
    this.judge(work, new Set());
  }

  /**
   * Judges the batch, then writes its dead letters and resolves once the broker acknowledged them.
   * A failure whose offset is not in the batch is a handler bug: DLQ_FOREIGN_MESSAGE.
   */
  async write(work: PartitionWork<unknown>, failures: readonly RecordFailure[]): Promise<void> {
    const { topic, partition } = work.batch;
    const entries: DeadLetterEntry[] = [...work.decodeFailures];
    const failed = new Set<string>();
    for (const f of failures) {
      const record = work.raws.get(f.offset);
      if (!record) {
        throw new TributaryError(
          'DLQ_FOREIGN_MESSAGE',
          `${topic}[${partition}]@${f.offset} is not in this batch`,
          {
            cause: f.error,
            details: { topic, partition, offset: f.offset },
          },
        );
      }
      if (failed.has(f.offset)) continue;
      failed.add(f.offset);
      entries.push({ record, error: f.error, reason: 'handler' });
    }
    const counts = this.judge(work, failed);
    entries.sort((a, b) => (BigInt(a.record.offset) < BigInt(b.record.offset) ? -1 : 1));
    await this.options.router.route(entries);
    this.pending.set(work, { counts, written: entries.length });
  }

  /** The batch is checkpointed: its dead letters count from now on. Returns how many it wrote. */
  settle(work: PartitionWork<unknown>): number {
    const { counts, written } = this.pending.get(work) ?? { counts: this.judge(work, new Set()), written: 0 };
    this.limits.set(keyOf(work), counts);
    return written;
  }

  private judge(work: PartitionWork<unknown>, handlerFailed: ReadonlySet<string>): DlqLimit {
    const { topic, partition } = work.batch;
    const { groupId, policy, logger } = this.options;
    const decodeFailed = new Set(work.decodeFailures.map((f) => f.record.offset));
    const trial = (this.limits.get(keyOf(work)) ?? new DlqLimit(policy)).clone();
    const offsets = [...work.raws.keys()];
    const isDead = (offset: string) => decodeFailed.has(offset) || handlerFailed.has(offset);
    const breach = trial.recordAll(offsets.map(isDead));
    if (!breach) return trial;
    const offset = offsets.find(isDead) ?? offsets[0];
    const error = new DlqLimitExceededError(breach, { topic, partition, groupId, offset });
    logger?.error(LogEvents.kafkaDlqLimitExceeded, error.message, { topic, partition, groupId, ...breach });
    this.options.onFatal(error);
    throw error;
  }

  private async storeCall<R>(
    what: string,
    topic: string,
    partition: number,
    call: () => Promise<R>,
  ): Promise<R> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof TributaryError) throw err;
      throw new DependencyError(
        'DLQ_LIMIT_STORE_FAILED',
        `${what} DLQ counts of ${topic}[${partition}]: ${errorMessage(err)}`,
        {
          cause: err,
          details: { groupId: this.options.groupId, topic, partition },
        },
      );
    }
  }
}

function keyOf(work: PartitionWork<unknown>): string {
  return `${work.batch.topic}/${work.batch.partition}`;
}
