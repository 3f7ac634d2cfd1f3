import { Partitioners, type Kafka, type Producer, type RetryOptions, type TopicMessages } from 'kafkajs';
import { DependencyError, errorMessage, TributaryError } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import type { SchemaCodec } from './codec';
import { isFencedError, toKafkaError } from './errors';
import { producerUnusable, type CheckableProducer, type ProducerHealth } from './producer-health';
import { countMessages, encodeRecords, type OutgoingRecord } from './records';

export interface TransactionalPublisherOptions {
  kafka: Kafka;
  /**
   * Stable per replica (`replicaTransactionalId`, ADR 0011): a restarted replica fences its zombie,
   * and two replicas never fence each other.
   */
  transactionalId: string;
  codec: SchemaCodec;
  /** How long `create` keeps trying a connection that fails retriably, ms (default 120000). */
  startTimeoutMs?: number;
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
  /**
   * Called once when another producer with the same transactional id took over (final: this one
   * never publishes again). A service passes `failService` (libs/service): log, stop, exit 1.
   */
  onFenced?: (error: TributaryError) => void;
  /** Milliseconds clock (tests). */
  now?: () => number;
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
 *
 * Heals (ADR 0011): after any failed begin, send, commit or abort that is not a fencing, the kafkajs
 * producer is disconnected and a new one (same transactional id, whose initialization aborts what the
 * broker still holds open) is made before the next transaction. A fencing is final.
 */
export class TransactionalPublisher implements CheckableProducer {
  private producer: Producer | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private generation = 0;
  private lastError: unknown;
  /** Set once a newer producer with the same id fenced this one: it must never reconnect. */
  private fenced: TributaryError | undefined;

  private constructor(private readonly options: TransactionalPublisherOptions) {}

  /** Connects the producer (which registers the transactional id and fences older instances). */
  /**
   * Connects and registers the transactional id. A retriable failure (a broker still loading its
   * transaction state after a cold start answers COORDINATOR_LOAD_IN_PROGRESS for a while) is
   * tried again, with a warning each time, until `startTimeoutMs` (default 120 s) has passed; a
   * fencing or a refusal is thrown at once.
   */
  static async create(options: TransactionalPublisherOptions): Promise<TransactionalPublisher> {
    const publisher = new TransactionalPublisher(options);
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    for (let attempt = 1; ; attempt++) {
      try {
        await publisher.connected();
        return publisher;
      } catch (err) {
        const retriable = err instanceof TributaryError && err.retriable;
        const waitMs = Math.min(5_000, 250 * 2 ** (attempt - 1));
        if (!retriable || Date.now() + waitMs >= deadline) throw err;
        options.logger?.warn(
          LogEvents.kafkaConnectRetried,
          `transactional producer ${options.transactionalId} not ready yet (attempt ${attempt}): ${errorMessage(err)}; trying again in ${waitMs} ms`,
          { transactionalId: options.transactionalId, attempt, waitMs, err },
        );
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  get transactionalId(): string {
    return this.options.transactionalId;
  }

  /**
   * Encodes all records (ValidationError before any transaction when one is invalid), then sends
   * them in ONE transaction and commits it. On any failure the transaction is aborted and a
   * retriable DependencyError (KAFKA_TRANSACTION_FAILED) is thrown (the producer is made anew before
   * the next call), except when this producer was fenced by a newer one with the same transactional
   * id: KAFKA_PRODUCER_FENCED, not retriable, then and for every later call.
   */
  publishAtomically(records: readonly OutgoingRecord[]): Promise<void> {
    const run = this.queue.then(() => this.publishNow(records));
    this.queue = run.catch(() => undefined);
    return run;
  }

  health(): ProducerHealth {
    const state = this.closed
      ? 'closed'
      : this.fenced
        ? 'fenced'
        : this.producer
          ? 'ready'
          : this.generation === 0
            ? 'idle'
            : 'recreating';
    const error = this.fenced ?? (state === 'recreating' ? this.lastError : undefined);
    return { state, generation: this.generation, ...(error !== undefined ? { error } : {}) };
  }

  /** Usable: not fenced nor closed, and connected (a dropped producer is made anew here, in turn). */
  async check(): Promise<void> {
    if (this.closed || this.fenced) throw producerUnusable(this.options.transactionalId, this.health());
    if (this.producer) return;
    const run = this.queue.then(() => this.connected());
    this.queue = run.catch(() => undefined);
    await run;
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
    if (this.fenced) throw this.fenced;
    if (this.closed)
      throw toKafkaError('KAFKA_TRANSACTION_FAILED', 'publishAtomically', new Error('publisher is closed'));
    if (records.length === 0) return;
    const topicMessages = await encodeRecords(this.options.codec, records);
    const producer = await this.connected();
    const now = this.options.now ?? Date.now;
    const began = now();
    let transaction: Awaited<ReturnType<Producer['transaction']>> | undefined;
    try {
      transaction = await producer.transaction();
      await transaction.sendBatch({ topicMessages, acks: -1 });
      await transaction.commit();
    } catch (err) {
      throw await this.failed(err, transaction, topicMessages, now() - began);
    }
    this.options.metrics?.counter('tributary_kafka_transactions_total').inc({ outcome: 'committed' });
    for (const [topic, n] of countMessages(topicMessages)) {
      this.options.metrics?.counter('tributary_kafka_messages_produced_total').inc({ topic }, n);
    }
  }

  /**
   * After a failed transaction: a real fencing is final; anything else aborts what can be aborted
   * and drops the producer, so that the next transaction runs on a new one. Returns what to throw.
   */
  private async failed(
    cause: unknown,
    transaction: { abort(): Promise<unknown>; isActive(): boolean } | undefined,
    topicMessages: TopicMessages[],
    elapsedMs: number,
  ): Promise<TributaryError> {
    const { logger, metrics, transactionalId, transactionTimeoutMs = 60_000 } = this.options;
    metrics?.counter('tributary_kafka_transactions_total').inc({ outcome: 'aborted' });
    const topics = topicsOf(topicMessages);
    if (isFencedError(cause) && elapsedMs < transactionTimeoutMs) {
      // The epoch moved while our transaction was younger than its timeout: only another producer's
      // initialization does that. (Past the timeout the coordinator itself aborts the transaction and
      // bumps the epoch: that one heals below.)
      return this.fence(toKafkaError('KAFKA_TRANSACTION_FAILED', 'transaction', cause, { topics }));
    }
    const error = isFencedError(cause)
      ? new DependencyError(
          'KAFKA_TRANSACTION_FAILED',
          `transaction timed out after ${elapsedMs} ms: ${errorMessage(cause)}`,
          {
            cause,
            details: { topics },
          },
        )
      : toKafkaError('KAFKA_TRANSACTION_FAILED', 'transaction', cause, { topics });
    logger?.warn(LogEvents.kafkaTransactionAborted, `transaction aborted: ${errorMessage(cause)}`, {
      transactionalId,
      topics,
      err: cause,
    });
    try {
      if (transaction?.isActive()) await transaction.abort();
    } catch {
      // The new producer's initialization aborts whatever the broker still holds open for this id.
    }
    await this.recreate(cause);
    return error;
  }

  private fence(error: TributaryError): TributaryError {
    const fenced = (this.fenced ??= error);
    this.options.metrics?.counter('tributary_kafka_transactions_total').inc({ outcome: 'fenced' });
    this.options.logger?.error(
      LogEvents.kafkaProducerFenced,
      `producer ${this.options.transactionalId} fenced by another with the same transactional id: it publishes no more`,
      { transactionalId: this.options.transactionalId, err: error },
    );
    const producer = this.producer;
    this.producer = undefined;
    void producer?.disconnect().catch(() => undefined);
    this.options.onFenced?.(fenced);
    return fenced;
  }

  private async connected(): Promise<Producer> {
    if (this.fenced) throw this.fenced;
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
    this.generation += 1;
    try {
      await producer.connect();
      // kafkajs registers the transactional id lazily, with the first transaction. Do it now, so
      // that a restarted writer fences its predecessor at once: an empty transaction does it.
      await (await producer.transaction()).abort();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      this.lastError = err;
      const error = toKafkaError(
        'KAFKA_CONNECT_FAILED',
        `transactional producer ${transactionalId} connect`,
        err,
      );
      // Fenced during our own initialization: another producer initialized the id after us.
      if (error.code === 'KAFKA_PRODUCER_FENCED') throw this.fence(error);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  private async recreate(cause: unknown): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.lastError = cause;
    this.options.logger?.warn(
      LogEvents.kafkaProducerRecreated,
      `transactional producer ${this.options.transactionalId} dropped after a failure: a new one is made for the next transaction`,
      { transactionalId: this.options.transactionalId, generation: this.generation, err: cause },
    );
    await producer?.disconnect().catch(() => undefined);
  }
}

function topicsOf(topicMessages: TopicMessages[]): string[] {
  return topicMessages.map((t) => t.topic);
}
