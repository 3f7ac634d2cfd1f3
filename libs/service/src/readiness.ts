import type { Admin, Kafka } from 'kafkajs';
import { DependencyError, errorMessage } from '@tributary/core';
import { cachedCheck, type ReadinessCheck } from '@tributary/http';
import type { CheckableProducer } from '@tributary/kafka';

/** How long a Kafka readiness result is reused (probes every second share one check). */
export const KAFKA_READINESS_TTL_MS = 5_000;

/**
 * Readiness: the brokers answer a metadata request, on ONE admin connection kept for the service's
 * life (made anew after a failure), so that probes never open a connection each. `close()` at stop.
 */
export function kafkaMetadataCheck(kafka: Kafka): { check: ReadinessCheck; close(): Promise<void> } {
  let admin: Promise<Admin> | undefined;
  const connected = (): Promise<Admin> => {
    if (!admin) {
      const a = kafka.admin();
      admin = a.connect().then(() => a);
      admin.catch(() => undefined);
    }
    return admin;
  };
  return {
    async check() {
      const current = connected();
      try {
        const { brokers } = await (await current).describeCluster();
        if (brokers.length === 0) throw new Error('no broker in the cluster metadata');
      } catch (err) {
        if (admin === current) admin = undefined;
        void current.then((a) => a.disconnect()).catch(() => undefined);
        throw new DependencyError('KAFKA_UNAVAILABLE', `Kafka metadata: ${errorMessage(err)}`, {
          cause: err,
        });
      }
    },
    async close() {
      const current = admin;
      admin = undefined;
      await (await current?.catch(() => undefined))?.disconnect().catch(() => undefined);
    },
  };
}

/** A consumer's `done`: rejected when it crashed, resolved when it stopped. */
export interface WatchedConsumer {
  done: Promise<void>;
}

/** Readiness of consumers: fails once any of them stopped or crashed (kafkajs restarts count as running). */
export function consumersRunning(consumers: readonly WatchedConsumer[]): ReadinessCheck {
  const ended: string[] = [];
  consumers.forEach((c, i) => {
    c.done.then(
      () => ended.push(`consumer ${i + 1} stopped`),
      (err: unknown) => ended.push(`consumer ${i + 1} crashed: ${errorMessage(err)}`),
    );
  });
  return async () => {
    if (ended.length > 0) throw new DependencyError('KAFKA_CONSUMER_CRASHED', ended.join('; '));
  };
}

export interface KafkaReadinessOptions {
  kafka: Kafka;
  producers?: readonly CheckableProducer[];
  consumers?: readonly WatchedConsumer[];
  ttlMs?: number;
}

/**
 * The Kafka readiness checks of a service, each cached for `ttlMs` (ADR 0011):
 * `kafka` (a metadata answer on one kept admin connection), `producer` (every producer usable: not
 * fenced nor closed, connected or reconnecting within the check), `consumer` (every consumer running).
 * Call `close()` when the service stops.
 */
export function kafkaReadiness(options: KafkaReadinessOptions): {
  checks: Record<string, ReadinessCheck>;
  close(): Promise<void>;
} {
  const { kafka, producers = [], consumers = [], ttlMs = KAFKA_READINESS_TTL_MS } = options;
  const metadata = kafkaMetadataCheck(kafka);
  const checks: Record<string, ReadinessCheck> = { kafka: cachedCheck(metadata.check, { ttlMs }) };
  if (producers.length > 0) {
    checks.producer = cachedCheck(
      async () => {
        await Promise.all(producers.map((p) => p.check()));
      },
      { ttlMs },
    );
  }
  if (consumers.length > 0) checks.consumer = consumersRunning(consumers);
  return { checks, close: () => metadata.close() };
}
