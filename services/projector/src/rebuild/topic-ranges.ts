import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { contractFor, isRecordDeleted } from '@tributary/contracts';
import { DependencyError, isRetriable } from '@tributary/core';
import { NOT_YET, holdsNoUnicodeEscape, type SchemaCodec } from '@tributary/kafka';
import type { ReplayedRecord } from './shadow-writer';

/** The records of one partition a rebuild reads: offsets `from` (inclusive) to `to` (exclusive). */
export interface PartitionRange {
  topic: string;
  partition: number;
  from: bigint;
  to: bigint;
}

/** One fetched batch of a partition, decoded; `undecodable` records were dead-lettered live. */
export type OnRecords = (topic: string, records: ReplayedRecord[], undecodable: number) => Promise<void>;

const key = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * Every partition of `topics` from its start (`low`) to its end (`high`) as of now; a topic not
 * created yet (nothing was ever published on it) has nothing to replay.
 */
export async function rangesToEnd(kafka: Kafka, topics: readonly string[]): Promise<PartitionRange[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const out: PartitionRange[] = [];
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const o of await admin.fetchTopicOffsets(topic)) {
        out.push({ topic, partition: o.partition, from: BigInt(o.low), to: BigInt(o.high) });
      }
    }
    return out;
  } catch (err) {
    throw new DependencyError('REBUILD_FAILED', `could not read the end offsets of ${topics.join(', ')}`, {
      cause: err,
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Reads each range (committed records only), decoding every value by its topic's contract, with
 * one throwaway consumer group (deleted after): a partition is paused once its end is reached
 * (transaction markers count), and the read ends when every range is done. `onRecords` is awaited
 * per fetched batch, so a slow writer slows the fetch (backpressure), never the other way round.
 */
export async function readRanges(
  kafka: Kafka,
  codec: Pick<SchemaCodec, 'decode' | 'decodeKnown'>,
  ranges: readonly PartitionRange[],
  onRecords: OnRecords,
  timeoutMs = 600_000,
): Promise<void> {
  const remaining = new Map(ranges.filter((r) => r.to > r.from).map((r) => [key(r.topic, r.partition), r]));
  if (remaining.size === 0) return;
  const groupId = `tributary-rebuild-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    // Fetches of a few chunks: the first chunk is written (and the pipeline full) sooner (ADR 0023).
    maxBytes: 16 << 20,
    maxBytesPerPartition: 4 << 20,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  let failure: unknown;
  const finish = (topic: string, partition: number, lastOffset: string): void => {
    const r = remaining.get(key(topic, partition));
    if (r && BigInt(lastOffset) + 1n >= r.to) {
      remaining.delete(key(topic, partition));
      consumer.pause([{ topic, partitions: [partition] }]);
    }
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    finish(payload.topic, payload.partition, payload.lastOffset),
  );
  try {
    await consumer.connect();
    await consumer.subscribe({
      topics: [...new Set([...remaining.values()].map((r) => r.topic))],
      fromBeginning: true,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const r = remaining.get(key(batch.topic, batch.partition));
        if (!r) consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
        if (!r || failure !== undefined) return;
        try {
          const records: ReplayedRecord[] = [];
          let undecodable = 0;
          for (const m of batch.messages) {
            const offset = BigInt(m.offset);
            if (offset < r.from || offset >= r.to) continue;
            try {
              const contract = contractFor(batch.topic);
              // Without a wait per record once the schema id is known (the codec's decodeKnown).
              const known = codec.decodeKnown(m.value, contract);
              const value = known === NOT_YET ? await codec.decode(m.value, contract) : known;
              // The deletion marks are carried over from the live tables (swap-tables.ts), not replayed (ADR 0024).
              if (isRecordDeleted(value)) continue;
              records.push({
                at: { topic: batch.topic, partition: batch.partition, offset: m.offset },
                value,
                noUnicodeEscapes: holdsNoUnicodeEscape(m.value),
              });
            } catch (err) {
              if (isRetriable(err)) throw err;
              undecodable++;
            }
          }
          if (records.length > 0 || undecodable > 0) await onRecords(batch.topic, records, undecodable);
        } catch (err) {
          failure = err;
        }
      },
    });
    for (const r of remaining.values()) {
      if (r.from > 0n) consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.from) });
    }
    const deadline = Date.now() + timeoutMs;
    while (remaining.size > 0 && failure === undefined) {
      if (Date.now() > deadline) {
        throw new DependencyError(
          'REBUILD_FAILED',
          `did not read the source topics to their end in ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (failure !== undefined) throw failure;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect().catch(() => undefined));
  }
}
