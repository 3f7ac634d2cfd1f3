import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Metrics } from '@tributary/observability';
import type { SchemaCodec } from './codec';
import { toKafkaError } from './errors';
import { countMessages, encodeRecords, type OutgoingRecord } from './records';

export interface PublisherOptions {
  kafka: Kafka;
  codec: SchemaCodec;
  metrics?: Pick<Metrics, 'counter'>;
}

/** A non-transactional, idempotent producer (acks=all): each `publish` resolves once the broker acked. */
export interface Publisher {
  /**
   * Encodes every record (ValidationError before anything is sent when one is invalid), then
   * sends them with acks=all. Resolves after the broker acknowledged all of them; a broker failure
   * throws a retriable DependencyError (KAFKA_PUBLISH_FAILED). Not atomic across records.
   */
  publish(records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Connects an idempotent producer (for the webhook gateway and other single-record writers). */
export async function createPublisher(options: PublisherOptions): Promise<Publisher> {
  const { kafka, codec, metrics } = options;
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await producer.connect();
  } catch (err) {
    throw toKafkaError('KAFKA_CONNECT_FAILED', 'publisher connect', err);
  }
  let closed = false;
  return {
    async publish(records) {
      if (closed) throw toKafkaError('KAFKA_PUBLISH_FAILED', 'publish', new Error('publisher is closed'));
      if (records.length === 0) return;
      const topicMessages = await encodeRecords(codec, records);
      try {
        await producer.sendBatch({ topicMessages, acks: -1 });
      } catch (err) {
        throw toKafkaError('KAFKA_PUBLISH_FAILED', 'publish', err, {
          topics: topicMessages.map((t) => t.topic),
        });
      }
      for (const [topic, n] of countMessages(topicMessages)) {
        metrics?.counter('tributary_kafka_messages_produced_total').inc({ topic }, n);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await producer.disconnect();
    },
  };
}
