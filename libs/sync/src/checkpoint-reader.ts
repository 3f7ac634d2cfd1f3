import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { checkpointKey, TOPICS, type Checkpoint, type Source } from '@tributary/contracts';
import { TributaryError } from '@tributary/core';

/**
 * Reads the compacted checkpoint topic from the beginning up to its end (committed records only)
 * and returns the latest checkpoint per `source/entity` of `source`. Run once at start-up; the ingest
 * keeps the map current as it writes.
 */
export async function readCheckpoints(
  kafka: Kafka,
  source: Source,
  decode: (value: Buffer) => Promise<Checkpoint>,
  timeoutMs = 60_000,
): Promise<Map<string, Checkpoint>> {
  const topic = TOPICS.checkpoints;
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = (await admin.fetchTopicOffsets(topic)).map((o) => ({
      partition: o.partition,
      high: o.high,
      low: o.low,
    }));
  } finally {
    await admin.disconnect();
  }
  const result = new Map<string, Checkpoint>();
  const pending = new Set(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => e.partition));
  if (pending.size === 0) return result;
  const endOf = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
  const consumer = kafka.consumer({
    groupId: `checkpoint-reader-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new TributaryError(
              'CHECKPOINT_READ_TIMEOUT',
              `could not read ${topic} to its end within ${timeoutMs} ms`,
              { retriable: true },
            ),
          ),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              if (!m.value || !m.key) continue;
              const cp = await decode(m.value);
              if (cp.source === source) result.set(checkpointKey(cp.source, cp.entity), cp);
            }
            const last = BigInt(batch.lastOffset());
            const end = endOf.get(batch.partition) ?? 0n;
            if (last + 1n >= end) pending.delete(batch.partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return result;
}
