import type { Kafka } from 'kafkajs';
import type { Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import type { SchemaCodec } from './codec';
import { toKafkaError } from './errors';
import { HealingProducer } from './healing-producer';
import type { CheckableProducer } from './producer-health';
import { countMessages, encodeRecords, type OutgoingRecord } from './records';

export interface PublisherOptions {
  kafka: Kafka;
  codec: SchemaCodec;
  metrics?: Pick<Metrics, 'counter'>;
  /** Where a recreated producer is reported. */
  logger?: KafkaLogger;
}

/** A non-transactional, idempotent producer (acks=all): each `publish` resolves once the broker acked. */
export interface Publisher extends CheckableProducer {
  /**
   * Encodes every record (ValidationError before anything is sent when one is invalid), then
   * sends them with acks=all. Resolves after the broker acknowledged all of them; a broker failure
   * throws a retriable DependencyError (KAFKA_PUBLISH_FAILED), and the kafkajs producer is made anew
   * before the next publish (ADR 0011). Not atomic across records.
   */
  publish(records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Connects an idempotent producer (for the scheduler, the CLI and other single-record writers). */
export async function createPublisher(options: PublisherOptions): Promise<Publisher> {
  const { kafka, codec, metrics, logger } = options;
  const producer = new HealingProducer({ kafka, name: 'publisher', ...(logger ? { logger } : {}) });
  try {
    await producer.check();
  } catch (err) {
    await producer.close().catch(() => undefined);
    throw toKafkaError('KAFKA_CONNECT_FAILED', 'publisher connect', err);
  }
  let closed = false;
  return {
    async publish(records) {
      if (closed) throw toKafkaError('KAFKA_PUBLISH_FAILED', 'publish', new Error('publisher is closed'));
      if (records.length === 0) return;
      const topicMessages = await encodeRecords(codec, records);
      try {
        await producer.send((p) => p.sendBatch({ topicMessages, acks: -1 }));
      } catch (err) {
        throw toKafkaError('KAFKA_PUBLISH_FAILED', 'publish', err, {
          topics: topicMessages.map((t) => t.topic),
        });
      }
      for (const [topic, n] of countMessages(topicMessages)) {
        metrics?.counter('tributary_kafka_messages_produced_total').inc({ topic }, n);
      }
    },
    health: () => producer.health(),
    check: () => producer.check(),
    async close() {
      if (closed) return;
      closed = true;
      await producer.close();
    },
  };
}
