import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { errorMessage } from '@tributary/core';
import { LogEvents } from '@tributary/observability';
import type { KafkaLogger } from './client';
import { producerUnusable, type CheckableProducer, type ProducerHealth } from './producer-health';

export interface HealingProducerOptions {
  kafka: Kafka;
  /** Names the producer in logs and readiness (`publisher`, `dlq consumer-group`). */
  name: string;
  logger?: KafkaLogger;
}

/**
 * An idempotent producer (acks=all, one request in flight) that heals: it connects on first use, and
 * after any failed send or connect it disconnects the kafkajs producer and makes a new one before
 * the next send (a kafkajs producer can be left unusable by a failure: tulios/kafkajs#1416). The
 * failed send's error still reaches its caller. No transactional id, so nothing can fence it.
 */
export class HealingProducer implements CheckableProducer {
  private producer: Promise<Producer> | undefined;
  private state: ProducerHealth['state'] = 'idle';
  private generation = 0;
  private error: unknown;
  private closed = false;

  constructor(private readonly options: HealingProducerOptions) {}

  /** Runs `send` on a connected producer; on failure drops the producer (recreated next time) and rethrows. */
  async send<T>(send: (producer: Producer) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error(`producer ${this.options.name} is closed`);
    const current = this.connected();
    try {
      const result = await send(await current);
      if (!this.closed) this.ready();
      return result;
    } catch (err) {
      await this.drop(current, err);
      throw err;
    }
  }

  health(): ProducerHealth {
    return {
      state: this.state,
      generation: this.generation,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  async check(): Promise<void> {
    if (this.closed) throw producerUnusable(this.options.name, this.health());
    if (this.state === 'ready') return;
    const current = this.connected();
    try {
      await current;
      this.ready();
    } catch (err) {
      await this.drop(current, err);
      throw producerUnusable(this.options.name, this.health());
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.state = 'closed';
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await (await producer.catch(() => undefined))?.disconnect();
  }

  private ready(): void {
    this.state = 'ready';
    this.error = undefined;
  }

  private connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.generation += 1;
      this.producer = producer.connect().then(() => producer);
      this.producer.catch(() => undefined);
    }
    return this.producer;
  }

  /** Forgets `current` (if it is still the producer in use) and disconnects it. */
  private async drop(current: Promise<Producer>, err: unknown): Promise<void> {
    if (this.producer !== current || this.closed) return;
    this.producer = undefined;
    this.state = 'recreating';
    this.error = err;
    this.options.logger?.warn(
      LogEvents.kafkaProducerRecreated,
      `producer ${this.options.name} failed (${errorMessage(err)}): a new one is made for the next send`,
      { producer: this.options.name, generation: this.generation, err },
    );
    await (await current.catch(() => undefined))?.disconnect().catch(() => undefined);
  }
}
