import type { Kafka } from 'kafkajs';
import { toKafkaError } from './errors';

export interface PurgePlan {
  dlqTopic: string;
  /** Per partition: records from `low` up to (not including) `to` are deleted. */
  partitions: { partition: number; low: string; to: string }[];
  /** Records (dead letters, replay markers, transaction markers) deleted in all. */
  records: number;
}

/**
 * Where a purge of a DLQ topic ends, per partition: its end, or with `before` the first record
 * written at or after that time (Kafka's own time index, `fetchTopicOffsetsByTimestamp`).
 */
export async function planPurge(kafka: Kafka, dlqTopic: string, before?: Date): Promise<PurgePlan> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const cut = before ? await admin.fetchTopicOffsetsByTimestamp(dlqTopic, before.getTime()) : undefined;
    const partitions = ends
      .map(({ partition, low, high }) => {
        const at = cut?.find((c) => c.partition === partition)?.offset;
        // -1: no record at or after `before`: everything before it is the whole partition.
        const to = at === undefined || BigInt(at) < 0n ? high : BigInt(at) < BigInt(high) ? at : high;
        return { partition, low, to: BigInt(to) < BigInt(low) ? low : to };
      })
      .filter((p) => BigInt(p.to) > BigInt(p.low))
      .sort((a, b) => a.partition - b.partition);
    const records = partitions.reduce((n, p) => n + Number(BigInt(p.to) - BigInt(p.low)), 0);
    return { dlqTopic, partitions, records };
  } catch (err) {
    throw toKafkaError('DLQ_PURGE_FAILED', `plan the purge of ${dlqTopic}`, err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Deletes what the plan says (Kafka `DeleteRecords`: the partitions' start moves up to `to`). */
export async function purgeDlq(kafka: Kafka, plan: PurgePlan): Promise<void> {
  if (plan.partitions.length === 0) return;
  const admin = kafka.admin();
  try {
    await admin.connect();
    // kafkajs finds the partitions' leaders in its metadata cache: load it for this topic first.
    await admin.fetchTopicMetadata({ topics: [plan.dlqTopic] });
    await admin.deleteTopicRecords({
      topic: plan.dlqTopic,
      partitions: plan.partitions.map((p) => ({ partition: p.partition, offset: p.to })),
    });
  } catch (err) {
    throw toKafkaError('DLQ_PURGE_FAILED', `purge ${plan.dlqTopic}`, err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
