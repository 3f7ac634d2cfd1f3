import { Partitioners, type Kafka, type Producer, type RetryOptions, type TopicMessages } from 'kafkajs';
import { errorMessage } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import type { SchemaCodec } from './codec';
import { isFencedError, toKafkaError } from './errors';
import { countMessages, encodeRecords, type OutgoingRecord } from './records';

export interface TransactionalPublisherOptions {
  kafka: Kafka;
  /** Stable per logical writer (e.g. `ingest-repcard`): a restarted writer fences its zombie. */
  transactionalId: string;
  codec: SchemaCodec;
  /** Broker-side transaction timeout, ms (default 60000). */
  transactionTimeoutMs?: number;
  /**
   * Retries of the producer's requests (default TRANSACTIONAL_RETRY). The short first retry matters:
   * the broker answers CONCURRENT_TRANSACTIONS to the next transaction's first send until the
   * markers of the previous commit are written (a few ms), and kafkajs' own 300 ms first retry would
   * put that wait on every back-to-back transaction (the Java client uses 20 ms for the same reason).
   */
  retry?: RetryOptions;
  logger?: KafkaLogger;
  metrics?: Pick<Metrics, 'counter'>;
}

/**
 * First retry after 5 ms, doubling up to 2 s, 10 retries (about 4.5 s in all; kafkajs' default
 * waits about 9 s). kafkajs applies these to the producer's metadata requests too, so they must end:
 * a send to a missing topic fails instead of retrying forever. Bounded retries cannot duplicate
 * records here: a send that gives up aborts its transaction, which no read-committed consumer sees.
 */
export const TRANSACTIONAL_RETRY: RetryOptions = {
  initialRetryTime: 5,
  maxRetryTime: 2_000,
  multiplier: 2,
  retries: 10,
};

/**
 * Publishes a set of records on one or more topics atomically: one Kafka transaction per call
 * (idempotent producer, one request in flight, acks=all). Read-committed consumers see all the
 * records of a call or none. Calls are serialized (kafkajs allows one open transaction).
 */
export class TransactionalPublisher {
  private producer: Producer | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set once a newer producer with the same id fenced this one: it must never reconnect. */
  private fencedBy: unknown;

  private constructor(private readonly options: TransactionalPublisherOptions) {}

  /** Connects the producer (which registers the transactional id and fences older instances). */
  static async create(options: TransactionalPublisherOptions): Promise<TransactionalPublisher> {
    const publisher = new TransactionalPublisher(options);
    await publisher.connected();
    return publisher;
  }

  /**
   * Encodes all records (ValidationError before any transaction when one is invalid), then sends
   * them in ONE transaction and commits it. On any failure the transaction is aborted and a
   * retriable DependencyError (KAFKA_TRANSACTION_FAILED) is thrown, except when this producer was
   * fenced by a newer one with the same transactional id: KAFKA_PRODUCER_FENCED, not retriable.
   */
  publishAtomically(records: readonly OutgoingRecord[]): Promise<void> {
    const run = this.queue.then(() => this.publishNow(records));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for the publication in progress, then disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect();
  }

  private async publishNow(records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed)
      throw toKafkaError('KAFKA_TRANSACTION_FAILED', 'publishAtomically', new Error('publisher is closed'));
    if (this.fencedBy !== undefined)
      throw toKafkaError('KAFKA_TRANSACTION_FAILED', 'publishAtomically', this.fencedBy);
    if (records.length === 0) return;
    const topicMessages = await encodeRecords(this.options.codec, records);
    const producer = await this.connected();
    let transaction;
    try {
      transaction = await producer.transaction();
    } catch (err) {
      if (isFencedError(err)) this.fencedBy = err;
      await this.reset();
      throw toKafkaError('KAFKA_TRANSACTION_FAILED', 'begin transaction', err, {
        topics: topicsOf(topicMessages),
      });
    }
    try {
      await transaction.sendBatch({ topicMessages, acks: -1 });
      await transaction.commit();
    } catch (err) {
      await this.abort(transaction, err, topicMessages);
      throw toKafkaError('KAFKA_TRANSACTION_FAILED', 'transaction', err, { topics: topicsOf(topicMessages) });
    }
    this.options.metrics?.counter('tributary_kafka_transactions_total').inc({ outcome: 'committed' });
    for (const [topic, n] of countMessages(topicMessages)) {
      this.options.metrics?.counter('tributary_kafka_messages_produced_total').inc({ topic }, n);
    }
  }

  private async abort(
    transaction: { abort(): Promise<unknown>; isActive(): boolean },
    cause: unknown,
    topicMessages: TopicMessages[],
  ): Promise<void> {
    const { logger, metrics, transactionalId } = this.options;
    metrics?.counter('tributary_kafka_transactions_total').inc({ outcome: 'aborted' });
    const fields = { transactionalId, topics: topicsOf(topicMessages), err: cause };
    if (isFencedError(cause)) {
      // A newer producer owns the id now: this one can neither abort nor send again.
      logger?.error(LogEvents.kafkaTransactionAborted, `producer ${transactionalId} fenced`, fields);
      this.fencedBy = cause;
      await this.reset();
      return;
    }
    logger?.warn(LogEvents.kafkaTransactionAborted, `transaction aborted: ${errorMessage(cause)}`, fields);
    try {
      if (transaction.isActive()) await transaction.abort();
    } catch {
      // The producer's transaction state is unknown: start over with a new producer, whose
      // initialization aborts whatever the broker still holds open for this id.
      await this.reset();
    }
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const { kafka, transactionalId, transactionTimeoutMs = 60_000 } = this.options;
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: transactionTimeoutMs,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { ...TRANSACTIONAL_RETRY, ...this.options.retry },
    });
    try {
      await producer.connect();
      // kafkajs registers the transactional id lazily, with the first transaction. Do it now, so
      // that a restarted writer fences its predecessor at once: an empty transaction does it.
      await (await producer.transaction()).abort();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw toKafkaError('KAFKA_CONNECT_FAILED', `transactional producer ${transactionalId} connect`, err);
    }
    this.producer = producer;
    return producer;
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}

function topicsOf(topicMessages: TopicMessages[]): string[] {
  return topicMessages.map((t) => t.topic);
}
