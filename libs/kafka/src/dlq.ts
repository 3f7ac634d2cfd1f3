import type { IHeaders, Kafka, Message } from 'kafkajs';
import { TributaryError, errorMessage, systemClock, type Clock } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import { toKafkaError } from './errors';
import { HealingProducer } from './healing-producer';
import type { ProducerHealth } from './producer-health';

/** Headers a dead letter carries next to its original headers. */
export const DLQ_HEADERS = {
  error: 'x-dlq-error',
  errorCode: 'x-dlq-error-code',
  originTopic: 'x-dlq-origin-topic',
  originPartition: 'x-dlq-origin-partition',
  originOffset: 'x-dlq-origin-offset',
  consumerGroup: 'x-dlq-consumer-group',
  failedAt: 'x-dlq-failed-at',
  /** Set on a record produced back to its origin topic by replayDlq: `<dlq topic>:<partition>:<offset>`. */
  replayedFrom: 'x-dlq-replayed-from',
} as const;

/** The dead-letter topic of `topic` (same rule as `dlqTopic` in @tributary/contracts). */
export function dlqTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

/** Why a record went to the DLQ (metric label `reason`). */
export type DlqReason = 'decode' | 'handler';

/** A record as it was read: original bytes, so that a replay writes back exactly what came. */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

const MAX_ERROR_HEADER_LENGTH = 2000;

export function errorCodeOf(error: unknown): string {
  return error instanceof TributaryError ? error.code : error instanceof Error ? error.name : 'UNKNOWN';
}

/** The dead letter of `record`: its original key, value and headers, plus the x-dlq-* headers. */
export function deadLetterMessage(
  record: RawRecord,
  error: unknown,
  groupId: string,
  failedAt: Date,
): Message {
  const message = errorMessage(error);
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...(record.headers ?? {}),
      [DLQ_HEADERS.error]:
        message.length > MAX_ERROR_HEADER_LENGTH ? `${message.slice(0, MAX_ERROR_HEADER_LENGTH)}…` : message,
      [DLQ_HEADERS.errorCode]: errorCodeOf(error),
      [DLQ_HEADERS.originTopic]: record.topic,
      [DLQ_HEADERS.originPartition]: String(record.partition),
      [DLQ_HEADERS.originOffset]: record.offset,
      [DLQ_HEADERS.consumerGroup]: groupId,
      [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
    },
  };
}

export interface DeadLetterEntry {
  record: RawRecord;
  error: unknown;
  reason: DlqReason;
}

export interface DlqRouterOptions {
  kafka: Kafka;
  groupId: string;
  logger?: KafkaLogger;
  metrics?: Pick<Metrics, 'counter'>;
  clock?: Clock;
}

/**
 * Writes dead letters to `<topic>.dlq` with an idempotent producer (acks=all) that connects on
 * first use and is made anew after a failed send (ADR 0011). `route` resolves once the broker acknowledged them: only then may the consumer commit
 * past them. The DLQ topic must exist (topics are never auto-created); when it does not, `route`
 * throws a retriable DependencyError and the batch is retried rather than the record lost.
 */
export class DlqRouter {
  private readonly producer: HealingProducer;

  constructor(private readonly options: DlqRouterOptions) {
    const { kafka, groupId, logger } = options;
    this.producer = new HealingProducer({ kafka, name: `dlq ${groupId}`, ...(logger ? { logger } : {}) });
  }

  async route(entries: readonly DeadLetterEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { groupId, logger, metrics, clock = systemClock } = this.options;
    const now = clock.now();
    const byTopic = new Map<string, Message[]>();
    for (const { record, error } of entries) {
      const topic = dlqTopicOf(record.topic);
      const list = byTopic.get(topic) ?? [];
      list.push(deadLetterMessage(record, error, groupId, now));
      byTopic.set(topic, list);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await this.producer.send((producer) => producer.sendBatch({ topicMessages, acks: -1 }));
    } catch (err) {
      throw toKafkaError('KAFKA_DLQ_FAILED', 'dead-letter', err, { topics: [...byTopic.keys()] });
    }
    for (const { record, error, reason } of entries) {
      metrics?.counter('tributary_dlq_messages_total').inc({ topic: record.topic, reason });
      logger?.warn(
        LogEvents.kafkaDlqRouted,
        `${record.topic}[${record.partition}]@${record.offset} dead-lettered`,
        {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          groupId,
          reason,
          code: errorCodeOf(error),
          err: error,
        },
      );
    }
  }

  /** The dead-letter producer's state (for readiness). */
  health(): ProducerHealth {
    return this.producer.health();
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
