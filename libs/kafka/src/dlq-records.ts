import { randomBytes } from 'node:crypto';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DependencyError } from '@tributary/core';
import { DLQ_HEADERS, dlqTopicOf } from './dlq';
import { toKafkaError } from './errors';
import { headersToStrings } from './records';

/**
 * Headers of a replay marker: a record the replay writes to the DLQ partition of the dead letter it
 * replayed, in the same Kafka transaction as the replayed record, so that a DLQ says by itself what
 * was replayed (and a second replay re-sends nothing, whatever its filters).
 */
export const DLQ_MARKER_HEADERS = {
  /** The offset, in this partition, of the dead letter replayed. */
  replayOf: 'x-dlq-replay-of',
  replayedAt: 'x-dlq-replayed-at',
  replayedBy: 'x-dlq-replayed-by',
} as const;

/** A record of a DLQ topic, with what its x-dlq-* headers say. */
export interface DeadLetter {
  dlqTopic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Every header, as written (for a replay: the original ones). */
  rawHeaders: IHeaders;
  headers: Record<string, string>;
  originTopic?: string;
  originPartition?: number;
  originOffset?: string;
  errorCode?: string;
  error?: string;
  consumerGroup?: string;
  /** ISO time the record was dead-lettered (the header, else the record's timestamp). */
  failedAt: string;
  /** Set once a replay marker for it was read: when it was replayed. */
  replayedAt?: string;
}

export interface DeadLetters {
  letters: DeadLetter[];
  /** Replay markers read (records of the DLQ that are not dead letters). */
  markers: number;
}

/** Is `name` a dead-letter topic (`<topic>.dlq`)? */
export function isDlqTopic(name: string): boolean {
  return name.endsWith('.dlq');
}

/** `orders` and `orders.dlq` both name the DLQ `orders.dlq`. */
export function dlqTopicFor(name: string): string {
  return isDlqTopic(name) ? name : dlqTopicOf(name);
}

/** Every dead-letter topic of the cluster, sorted. */
export async function listDlqTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return (await admin.listTopics()).filter(isDlqTopic).sort();
  } catch (err) {
    throw toKafkaError('DLQ_READ_FAILED', 'list the DLQ topics', err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function deadLetterOf(dlqTopic: string, partition: number, m: KafkaMessage): DeadLetter {
  const headers = headersToStrings(m.headers);
  const originPartition = headers[DLQ_HEADERS.originPartition];
  return {
    dlqTopic,
    partition,
    offset: m.offset,
    key: m.key,
    value: m.value,
    rawHeaders: m.headers ?? {},
    headers,
    originTopic: headers[DLQ_HEADERS.originTopic],
    originPartition: originPartition === undefined ? undefined : Number(originPartition),
    originOffset: headers[DLQ_HEADERS.originOffset],
    errorCode: headers[DLQ_HEADERS.errorCode],
    error: headers[DLQ_HEADERS.error],
    consumerGroup: headers[DLQ_HEADERS.consumerGroup],
    failedAt: headers[DLQ_HEADERS.failedAt] ?? new Date(Number(m.timestamp)).toISOString(),
  };
}

/**
 * Reads DLQ topics up to their end as of now (committed records only), by one throwaway consumer
 * group that is deleted after; `partition` reads only that one. Dead letters come in topic,
 * partition and offset order, each with `replayedAt` when a replay marker names it.
 */
export async function readDeadLetters(
  kafka: Kafka,
  dlqTopics: string | readonly string[],
  options: { partition?: number; timeoutMs?: number } = {},
): Promise<DeadLetters> {
  const topics = typeof dlqTopics === 'string' ? [dlqTopics] : [...dlqTopics];
  const groupId = `tributary-dlq-reader-${randomBytes(6).toString('hex')}`;
  const letters: DeadLetter[] = [];
  const markers = new Map<string, string>();
  let markerCount = 0;
  const ends = await topicEnds(kafka, topics);
  const remaining = new Map(
    [...ends]
      .filter(
        ([, e]) => e.high > e.low && (options.partition === undefined || e.partition === options.partition),
      )
      .map(([key, e]) => [key, e.high]),
  );
  if (remaining.size > 0) {
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    // Control records (transaction markers) are never handed over, but END_BATCH_PROCESS counts them.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}:${payload.partition}`;
      const end = remaining.get(key);
      if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) remaining.delete(key);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: topics.filter((t) => [...remaining.keys()].some((k) => k.startsWith(`${t}:`))),
        fromBeginning: true,
      });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const end = remaining.get(`${topic}:${partition}`);
          if (end === undefined || BigInt(message.offset) >= end) return;
          const h = headersToStrings(message.headers);
          const replayOf = h[DLQ_MARKER_HEADERS.replayOf];
          if (replayOf === undefined) letters.push(deadLetterOf(topic, partition, message));
          else {
            markerCount += 1;
            markers.set(`${topic}:${partition}:${replayOf}`, h[DLQ_MARKER_HEADERS.replayedAt] ?? '');
          }
        },
      });
      await until(() => remaining.size === 0, options.timeoutMs ?? 60_000, `the end of ${topics.join(', ')}`);
    } catch (err) {
      throw toKafkaError('DLQ_READ_FAILED', `read ${topics.join(', ')}`, err);
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await deleteGroup(kafka, groupId);
    }
  }
  for (const letter of letters) {
    const at = markers.get(`${letter.dlqTopic}:${letter.partition}:${letter.offset}`);
    if (at !== undefined) letter.replayedAt = at;
  }
  letters.sort(
    (a, b) =>
      a.dlqTopic.localeCompare(b.dlqTopic) ||
      a.partition - b.partition ||
      Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  return { letters, markers: markerCount };
}

/** Each partition's start and end (`topic:partition` → low, high), over one admin connection. */
export async function topicEnds(
  kafka: Kafka,
  topics: readonly string[],
): Promise<Map<string, { topic: string; partition: number; low: bigint; high: bigint }>> {
  const admin = kafka.admin();
  const out = new Map<string, { topic: string; partition: number; low: bigint; high: bigint }>();
  try {
    await admin.connect();
    // A few requests at a time: a cluster may hold hundreds of DLQ topics.
    for (let i = 0; i < topics.length; i += 25) {
      const chunk = topics.slice(i, i + 25);
      const offsets = await Promise.all(chunk.map((topic) => admin.fetchTopicOffsets(topic)));
      chunk.forEach((topic, j) => {
        for (const e of offsets[j]!) {
          out.set(`${topic}:${e.partition}`, {
            topic,
            partition: e.partition,
            low: BigInt(e.low),
            high: BigInt(e.high),
          });
        }
      });
    }
    return out;
  } catch (err) {
    throw toKafkaError('DLQ_READ_FAILED', `read the offsets of ${topics.join(', ')}`, err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Records (dead letters, markers, transaction markers) a DLQ topic holds, by topic: 0 for an empty one. */
export async function dlqSizes(kafka: Kafka, topics: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map(topics.map((t) => [t, 0]));
  for (const e of (await topicEnds(kafka, topics)).values())
    sizes.set(e.topic, (sizes.get(e.topic) ?? 0) + Number(e.high - e.low));
  return sizes;
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // best effort: an empty group without offsets expires on its own
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new DependencyError('DLQ_READ_FAILED', `did not reach ${what} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Which dead letters a replay (or a listing) takes. */
export interface DeadLetterFilter {
  errorCode?: string;
  /** Only those dead-lettered at or after this time. */
  since?: Date;
  /** Only those dead-lettered before this time. */
  before?: Date;
}

export function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.errorCode !== undefined && letter.errorCode !== filter.errorCode) return false;
  const at = Date.parse(letter.failedAt);
  if (filter.since && !(at >= filter.since.getTime())) return false;
  if (filter.before && !(at < filter.before.getTime())) return false;
  return true;
}

/** Why a dead letter cannot be replayed (undefined: it can): it must name its origin, which must own this DLQ. */
export function unreplayableReason(letter: DeadLetter): string | undefined {
  if (!letter.originTopic) return `no ${DLQ_HEADERS.originTopic} header`;
  if (dlqTopicOf(letter.originTopic) !== letter.dlqTopic) {
    return `origin ${letter.originTopic} is not the topic of ${letter.dlqTopic}`;
  }
  return undefined;
}
