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
 * Reads a DLQ topic up to its end as of now (committed records only), by a throwaway consumer group
 * that is deleted after; `partition` reads only that one. Dead letters come in partition and
 * offset order, each with `replayedAt` when a replay marker names it.
 */
export async function readDeadLetters(
  kafka: Kafka,
  dlqTopic: string,
  options: { partition?: number; timeoutMs?: number } = {},
): Promise<DeadLetters> {
  const admin = kafka.admin();
  const groupId = `tributary-dlq-reader-${randomBytes(6).toString('hex')}`;
  const letters: DeadLetter[] = [];
  const markers = new Map<string, string>();
  let markerCount = 0;
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(dlqTopic).catch((err: unknown) => {
      throw toKafkaError('DLQ_READ_FAILED', `read the offsets of ${dlqTopic}`, err);
    });
    const remaining = new Map(
      ends
        .filter((e) => BigInt(e.high) > BigInt(e.low) && (options.partition === undefined || e.partition === options.partition))
        .map((e) => [e.partition, BigInt(e.high)]),
    );
    if (remaining.size > 0) {
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
      // Control records (transaction markers) are never handed over, but END_BATCH_PROCESS counts them.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = remaining.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) remaining.delete(payload.partition);
      });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = remaining.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            const replayOf = message.headers?.[DLQ_MARKER_HEADERS.replayOf];
            if (replayOf === undefined) letters.push(deadLetterOf(dlqTopic, partition, message));
            else {
              markerCount += 1;
              const h = headersToStrings(message.headers);
              markers.set(`${partition}:${h[DLQ_MARKER_HEADERS.replayOf]}`, h[DLQ_MARKER_HEADERS.replayedAt] ?? '');
            }
          },
        });
        await until(() => remaining.size === 0, options.timeoutMs ?? 60_000, `the end of ${dlqTopic}`);
      } finally {
        await consumer.disconnect().catch(() => undefined);
      }
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  for (const letter of letters) {
    const at = markers.get(`${letter.partition}:${letter.offset}`);
    if (at !== undefined) letter.replayedAt = at;
  }
  letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  return { letters, markers: markerCount };
}

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new DependencyError('DLQ_READ_FAILED', `did not reach ${what} in ${timeoutMs} ms`);
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
