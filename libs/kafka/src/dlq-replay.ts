import { Partitioners, type IHeaders, type Kafka, type KafkaMessage, type Message } from 'kafkajs';
import { DependencyError, TributaryError, errorMessage } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import { DLQ_HEADERS } from './dlq';
import { toKafkaError } from './errors';
import { headersToStrings } from './records';

export interface ReplayDlqOptions {
  kafka: Kafka;
  dlqTopic: string;
  /** Consumer group whose committed offsets say what was replayed already. */
  groupId: string;
  /** At most this many records (default: all there are when the replay starts). */
  limit?: number;
  /** Transactional id of the replaying producer (default `${groupId}.replay`). */
  transactionalId?: string;
  /** Give up after this long, ms (default 120000); what was replayed stays replayed. */
  timeoutMs?: number;
  /** Consumer fetch wait, ms (default 250). */
  maxWaitTimeInMs?: number;
  logger?: KafkaLogger;
  metrics?: Pick<Metrics, 'counter'>;
}

export interface ReplayDlqResult {
  replayed: number;
  /** Records without an origin topic header: left where they are, but consumed. */
  skipped: number;
  byTopic: Record<string, number>;
}

/** The record to produce back to the origin topic: x-dlq-* headers dropped, `x-dlq-replayed-from` added. */
export function replayMessage(message: KafkaMessage, dlqTopic: string, partition: number): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!name.startsWith('x-dlq-') && value !== undefined) headers[name] = value;
  }
  headers[DLQ_HEADERS.replayedFrom] = `${dlqTopic}:${partition}:${message.offset}`;
  return { key: message.key, value: message.value, headers };
}

/**
 * Produces the records of a DLQ back to their origin topic (header `x-dlq-origin-topic`), up to
 * the end the DLQ had when the replay started (records dead-lettered again meanwhile wait for the
 * next replay). Each fetched batch is republished and its DLQ offsets committed in ONE Kafka
 * transaction, so a replay that is interrupted and run again neither loses nor repeats a record.
 */
export async function replayDlq(options: ReplayDlqOptions): Promise<ReplayDlqResult> {
  const { kafka, dlqTopic, groupId, logger, metrics } = options;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const result: ReplayDlqResult = { replayed: 0, skipped: 0, byTopic: {} };
  const targets = await replayTargets(kafka, dlqTopic, groupId);
  if (targets.size === 0 || limit <= 0) return result;

  const producer = kafka.producer({
    transactionalId: options.transactionalId ?? `${groupId}.replay`,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 250,
    allowAutoTopicCreation: false,
  });
  let complete = false;
  let finished!: (error?: unknown) => void;
  const completion = new Promise<void>((resolve, reject) => {
    finished = (error) => {
      complete = true;
      if (error === undefined) resolve();
      else reject(error);
    };
  });
  const timer = setTimeout(
    () => finished(new DependencyError('DLQ_REPLAY_TIMEOUT', `replay of ${dlqTopic} did not finish in time`)),
    options.timeoutMs ?? 120_000,
  );
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) finished(toKafkaError('DLQ_REPLAY_FAILED', `replay of ${dlqTopic}`, payload.error));
  });

  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, pause }) => {
        if (complete) return;
        const target = targets.get(batch.partition);
        if (target === undefined) {
          pause(); // nothing (more) to replay here
          return;
        }
        const room = limit - result.replayed - result.skipped;
        const messages = batch.messages.filter((m) => BigInt(m.offset) < target).slice(0, Math.max(0, room));
        const last = messages[messages.length - 1];
        if (!last) return;
        const byTopic = new Map<string, Message[]>();
        let skipped = 0;
        for (const m of messages) {
          const origin = headersToStrings(m.headers)[DLQ_HEADERS.originTopic];
          if (!origin) {
            skipped += 1;
            continue;
          }
          byTopic.set(origin, [...(byTopic.get(origin) ?? []), replayMessage(m, dlqTopic, batch.partition)]);
        }
        const next = String(BigInt(last.offset) + 1n);
        const transaction = await producer.transaction();
        try {
          if (byTopic.size > 0) {
            await transaction.sendBatch({
              topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
              acks: -1,
            });
          }
          await transaction.sendOffsets({
            consumerGroupId: groupId,
            topics: [{ topic: dlqTopic, partitions: [{ partition: batch.partition, offset: next }] }],
          });
          await transaction.commit();
        } catch (err) {
          await transaction.abort().catch(() => undefined);
          throw toKafkaError('DLQ_REPLAY_FAILED', `replay of ${dlqTopic}[${batch.partition}]`, err);
        }
        resolveOffset(last.offset);
        result.skipped += skipped;
        for (const [topic, msgs] of byTopic) {
          result.replayed += msgs.length;
          result.byTopic[topic] = (result.byTopic[topic] ?? 0) + msgs.length;
          metrics?.counter('tributary_dlq_messages_replayed_total').inc({ topic }, msgs.length);
        }
        if (BigInt(next) >= target) targets.delete(batch.partition);
        await heartbeat();
        if (targets.size === 0 || result.replayed + result.skipped >= limit) finished();
      },
    });
    await completion;
  } catch (err) {
    throw err instanceof TributaryError
      ? err
      : toKafkaError('DLQ_REPLAY_FAILED', `replay of ${dlqTopic}`, err);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
  logger?.info(LogEvents.kafkaDlqReplayed, `${result.replayed} records replayed from ${dlqTopic}`, {
    dlqTopic,
    groupId,
    ...result,
  });
  return result;
}

/** For each partition with records not yet replayed by `groupId`: the end offset to reach. */
async function replayTargets(kafka: Kafka, dlqTopic: string, groupId: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [dlqTopic] });
    const targets = new Map<number, bigint>();
    for (const { partition, high, low } of ends) {
      const done = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      const start = BigInt(done) >= 0n ? BigInt(done) : BigInt(low);
      if (start < BigInt(high)) targets.set(partition, BigInt(high));
    }
    return targets;
  } catch (err) {
    throw toKafkaError('DLQ_REPLAY_FAILED', `read the offsets of ${dlqTopic}: ${errorMessage(err)}`, err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
