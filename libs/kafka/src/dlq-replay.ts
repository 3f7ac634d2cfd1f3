import { Partitioners, type IHeaders, type Kafka, type Message } from 'kafkajs';
import { TributaryError } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import { DLQ_HEADERS } from './dlq';
import {
  DLQ_MARKER_HEADERS,
  matchesFilter,
  readDeadLetters,
  unreplayableReason,
  type DeadLetter,
  type DeadLetterFilter,
} from './dlq-records';
import { toKafkaError } from './errors';

export interface ReplayDlqOptions {
  kafka: Kafka;
  dlqTopic: string;
  /** Only the dead letters that match (default: all). */
  filter?: DeadLetterFilter;
  /** At most this many records (default: all there are when the replay starts). */
  limit?: number;
  /** Kept for callers of the offset-based replay: names the default transactional id. */
  groupId?: string;
  /** Transactional id of the replaying producer (default `tributary-dlq-replay.<dlqTopic>`): two replays of one DLQ fence each other. */
  transactionalId?: string;
  /** Who replays (the marker's `x-dlq-replayed-by`). */
  replayedBy?: string;
  /** Give up reading the DLQ after this long, ms (default 120000). */
  timeoutMs?: number;
  logger?: KafkaLogger;
  metrics?: Pick<Metrics, 'counter'>;
}

export interface ReplayDlqResult {
  replayed: number;
  /** Dead letters without a replayable origin (no header, or a topic that does not own this DLQ): left where they are. */
  skipped: number;
  byTopic: Record<string, number>;
}

/** What a replay would do, read from the DLQ itself (nothing sent): `--dry-run` prints it. */
export interface ReplayPlan {
  dlqTopic: string;
  /** The dead letters to replay, in partition and offset order. */
  toReplay: DeadLetter[];
  /** Matching dead letters a replay marker says were replayed already. */
  alreadyReplayed: number;
  /** Matching dead letters that cannot be replayed, with why. */
  unreplayable: { letter: DeadLetter; reason: string }[];
}

/** Records per Kafka transaction of a replay. */
const CHUNK = 500;

/** The record to produce back to the origin topic: x-dlq-* headers dropped, `x-dlq-replayed-from` added. */
export function replayMessage(
  letter: {
    key: Buffer | null;
    value: Buffer | null;
    offset: string;
    rawHeaders?: IHeaders;
    headers?: IHeaders;
  },
  dlqTopic: string,
  partition: number,
): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(letter.rawHeaders ?? letter.headers ?? {})) {
    if (!name.startsWith('x-dlq-') && value !== undefined) headers[name] = value;
  }
  headers[DLQ_HEADERS.replayedFrom] = `${dlqTopic}:${partition}:${letter.offset}`;
  return { key: letter.key, value: letter.value, headers };
}

/** The marker saying `letter` was replayed: to its own DLQ partition, in the replay's transaction. */
export function replayMarker(letter: DeadLetter, at: Date, by: string): Message {
  return {
    key: letter.key,
    value: null,
    partition: letter.partition,
    headers: {
      [DLQ_MARKER_HEADERS.replayOf]: letter.offset,
      [DLQ_MARKER_HEADERS.replayedAt]: at.toISOString(),
      [DLQ_MARKER_HEADERS.replayedBy]: by,
    },
  };
}

/** Reads the DLQ and says what a replay with `filter` would send (and what it would not, and why). */
export async function planReplay(
  options: Pick<ReplayDlqOptions, 'kafka' | 'dlqTopic' | 'filter' | 'limit' | 'timeoutMs'>,
): Promise<ReplayPlan> {
  const { letters } = await readDeadLetters(options.kafka, options.dlqTopic, {
    timeoutMs: options.timeoutMs,
  });
  const plan: ReplayPlan = { dlqTopic: options.dlqTopic, toReplay: [], alreadyReplayed: 0, unreplayable: [] };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  for (const letter of letters) {
    if (!matchesFilter(letter, options.filter ?? {})) continue;
    if (letter.replayedAt !== undefined) {
      plan.alreadyReplayed += 1;
      continue;
    }
    const reason = unreplayableReason(letter);
    if (reason) plan.unreplayable.push({ letter, reason });
    else if (plan.toReplay.length < limit) plan.toReplay.push(letter);
  }
  return plan;
}

/**
 * Produces dead letters back to their origin topic (header `x-dlq-origin-topic`, and only the topic
 * that owns this DLQ), each with a replay marker in its DLQ partition, in ONE Kafka transaction per
 * chunk: a replay interrupted and run again neither loses nor repeats a record, and replaying twice
 * re-sends nothing. Records dead-lettered after the replay read the DLQ wait for the next replay.
 */
export async function replayDlq(options: ReplayDlqOptions): Promise<ReplayDlqResult> {
  const plan = await planReplay(options);
  return replayPlanned(options, plan);
}

/** Carries out a plan made by `planReplay`. */
export async function replayPlanned(
  options: Pick<
    ReplayDlqOptions,
    'kafka' | 'dlqTopic' | 'groupId' | 'transactionalId' | 'replayedBy' | 'logger' | 'metrics'
  >,
  plan: ReplayPlan,
): Promise<ReplayDlqResult> {
  const { kafka, dlqTopic, logger, metrics } = options;
  const result: ReplayDlqResult = { replayed: 0, skipped: plan.unreplayable.length, byTopic: {} };
  if (plan.toReplay.length > 0) {
    const transactionalId =
      options.transactionalId ??
      (options.groupId ? `${options.groupId}.replay` : `tributary-dlq-replay.${dlqTopic}`);
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
      for (let i = 0; i < plan.toReplay.length; i += CHUNK) {
        const chunk = plan.toReplay.slice(i, i + CHUNK);
        const counts = await sendChunk(producer, dlqTopic, chunk, options.replayedBy ?? 'tributary');
        for (const [topic, n] of counts) {
          result.replayed += n;
          result.byTopic[topic] = (result.byTopic[topic] ?? 0) + n;
          metrics?.counter('tributary_dlq_messages_replayed_total').inc({ topic }, n);
        }
      }
    } catch (err) {
      throw err instanceof TributaryError
        ? err
        : toKafkaError('DLQ_REPLAY_FAILED', `replay of ${dlqTopic}`, err);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }
  logger?.info(LogEvents.kafkaDlqReplayed, `${result.replayed} records replayed from ${dlqTopic}`, {
    dlqTopic,
    ...result,
  });
  return result;
}

async function sendChunk(
  producer: ReturnType<Kafka['producer']>,
  dlqTopic: string,
  chunk: readonly DeadLetter[],
  by: string,
): Promise<Map<string, number>> {
  const now = new Date();
  const byTopic = new Map<string, Message[]>();
  for (const letter of chunk) {
    const origin = letter.originTopic!;
    byTopic.set(origin, [...(byTopic.get(origin) ?? []), replayMessage(letter, dlqTopic, letter.partition)]);
  }
  const markers = chunk.map((letter) => replayMarker(letter, now, by));
  const transaction = await producer.transaction();
  try {
    await transaction.sendBatch({
      topicMessages: [
        ...[...byTopic].map(([topic, messages]) => ({ topic, messages })),
        { topic: dlqTopic, messages: markers },
      ],
      acks: -1,
    });
    await transaction.commit();
  } catch (err) {
    await transaction.abort().catch(() => undefined);
    throw toKafkaError('DLQ_REPLAY_FAILED', `replay of ${dlqTopic}`, err);
  }
  return new Map([...byTopic].map(([topic, messages]) => [topic, messages.length]));
}
