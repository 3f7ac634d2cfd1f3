import { Kafka, type ISocketFactory } from 'kafkajs';
import { DependencyError, errorMessage } from '@tributary/core';
import { createPool } from '@tributary/db';
import { kafkajsLogCreator, TransactionalPublisher } from '@tributary/kafka';
import {
  connectPlatform,
  failService,
  kafkaReadiness,
  replicaTransactionalIdOf,
  withContracts,
  type RunningService,
  type ServiceContext,
} from '@tributary/service';
import type { WebhookGatewayConfig } from './config';
import { transactionalIdOf, webhookSecretsOf } from './config';
import { createPgDedupStore, migrateGateway } from './data-access/pg-dedup-store';
import { createAdmissionControl } from './domain/admission';
import { DedupWindow } from './domain/dedup-window';
import { groupCommitPool } from './domain/group-commit-pool';
import type { OutgoingEvent } from './domain/delivery-events';
import { createDeliveryReceiver } from './domain/receive-delivery';
import { watchEventLoopDelay } from './entry-points/event-loop-delay';
import { mountWebhookRoutes } from './entry-points/http';
import { mountRepcardHintRoutes } from './entry-points/repcard-hints';

/** Test seams: real Kafka, reached through sockets a test can cut. */
export interface WebhookGatewayDeps {
  /** Sockets of the producer's broker connections (kafkajs `socketFactory`). */
  producerSocketFactory?: ISocketFactory;
}

/** How often rows past the dedup window are deleted. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * webhook-gateway: receives CuraGenesis webhooks, verifies their signature over the exact bytes
 * received (any active secret), deduplicates them in PostgreSQL (shared by replicas, kept across
 * restarts), and publishes each accepted delivery (its WebhookReceived and, for a known event, the
 * RecordObserved of the practice or order) in ONE Kafka transaction before answering 202. Waiting on
 * Kafka is bounded (then 503 with Retry-After), and so is the number of deliveries in flight (then
 * 429). Bodies are read raw (no JSON middleware), so `jsonBody: false`.
 */
export async function startWebhookGateway(
  { config, logger, metrics }: ServiceContext<WebhookGatewayConfig>,
  deps: WebhookGatewayDeps = {},
): Promise<RunningService> {
  const clientId = config.KAFKA_CLIENT_ID ?? 'webhook-gateway';
  const pool = createPool(config.DATABASE_URL, {
    max: config.WEBHOOK_DB_POOL_MAX,
    applicationName: 'webhook-gateway',
    // The dedup statements (named, by key): planned once per connection, not once per batch.
    genericPlans: true,
    connectionTimeoutMs: config.WEBHOOK_PUBLISH_TIMEOUT_MS,
    logger,
  });
  const cleanups: (() => Promise<unknown>)[] = [() => pool.end()];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await migrateGateway(pool, logger);
    const { kafka, codec } = await connectPlatform({
      brokers: config.KAFKA_BROKERS,
      registryUrl: config.SCHEMA_REGISTRY_URL,
      clientId,
      logger,
    });
    cleanups.push(async () => codec.close());
    const producerKafka = deps.producerSocketFactory
      ? new Kafka({
          clientId,
          brokers: config.KAFKA_BROKERS,
          socketFactory: deps.producerSocketFactory,
          logCreator: kafkajsLogCreator(logger),
        })
      : kafka;
    // Per replica (ADR 0011); a fencing is final: the gateway stops and exits 1.
    const transactionalId = replicaTransactionalIdOf(
      transactionalIdOf(config.WEBHOOK_GATEWAY_INSTANCE_ID),
      config,
    );
    // Several transactional producers (the first keeps the replica's id, the others add `.1`, `.2`...):
    // deliveries waiting when one is free share its next transaction, each answered only after commit.
    const transactionalIds = Array.from({ length: config.WEBHOOK_KAFKA_PRODUCERS }, (_, i) =>
      i === 0 ? transactionalId : `${transactionalId}.${i}`,
    );
    const producers: TransactionalPublisher[] = [];
    for (const id of transactionalIds) {
      const producer = await TransactionalPublisher.create({
        kafka: producerKafka,
        transactionalId: id,
        codec,
        logger,
        metrics,
        onFenced: failService(logger, `producer ${id} fenced`),
      });
      producers.push(producer);
      cleanups.push(() => producer.close());
    }
    const kafkaReady = kafkaReadiness({ kafka, producers });
    cleanups.push(() => kafkaReady.close());
    logger.info(
      'kafka.connected',
      `${producers.length} transactional producers ${transactionalIds.join(', ')} ready`,
      { transactionalId, transactionalIds },
    );
    const toKafka = groupCommitPool(
      producers.map(
        (producer) => (records: OutgoingEvent[]) => producer.publishAtomically(withContracts(records)),
      ),
      { minIntervalMs: config.WEBHOOK_KAFKA_TX_MIN_INTERVAL_MS },
    );

    const store = createPgDedupStore({
      pool,
      owner: config.WEBHOOK_GATEWAY_INSTANCE_ID,
      windowMs: config.WEBHOOK_DEDUP_WINDOW_MS,
      claimTimeoutMs: config.WEBHOOK_CLAIM_TIMEOUT_MS,
    });
    const purge = setInterval(() => {
      store
        .purge()
        .catch((err: unknown) =>
          logger.warn('db.pool.error', `webhook dedup purge failed: ${errorMessage(err)}`, { err }),
        );
    }, PURGE_INTERVAL_MS);
    purge.unref();
    cleanups.push(async () => clearInterval(purge));

    const receiver = createDeliveryReceiver({
      secrets: webhookSecretsOf(config),
      toleranceSec: config.WEBHOOK_TOLERANCE_SEC,
      // A cache of accepted ids in front of the shared table (which alone decides a first copy).
      dedup: new DedupWindow({
        windowMs: config.WEBHOOK_DEDUP_WINDOW_MS,
        maxEntries: config.WEBHOOK_DEDUP_MAX_ENTRIES,
      }),
      store,
      publishTimeoutMs: config.WEBHOOK_PUBLISH_TIMEOUT_MS,
      onBackgroundError: (what, deliveryId, err) =>
        logger.warn(
          'webhook.publish_failed',
          `could not ${what} the dedup claim of ${deliveryId}: ${errorMessage(err)}`,
          {
            deliveryId,
            err,
          },
        ),
      async publish(events) {
        // Publications not settled yet, answered or not: bounded, so an outage cannot pile them up.
        if (toKafka.outstanding() >= config.WEBHOOK_MAX_QUEUED_TO_KAFKA) {
          throw new DependencyError(
            'KAFKA_UNAVAILABLE',
            `Kafka is behind: ${toKafka.outstanding()} publications not yet committed`,
          );
        }
        await toKafka.publish([...events]);
      },
    });

    const eventLoop = watchEventLoopDelay();
    cleanups.push(async () => eventLoop.stop());
    const admission = createAdmissionControl(
      {
        maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT,
        maxEventLoopDelayMs: config.WEBHOOK_MAX_EVENT_LOOP_DELAY_MS,
        delayShedMinInFlight: config.WEBHOOK_DELAY_SHED_MIN_IN_FLIGHT,
        maxQueuedToKafka: config.WEBHOOK_MAX_QUEUED_TO_KAFKA,
      },
      { eventLoopDelayMs: eventLoop.recentMs, queuedToKafka: toKafka.outstanding },
    );

    return {
      jsonBody: false,
      configure: (app) => {
        mountWebhookRoutes(app, {
          receiver,
          bodyLimit: config.WEBHOOK_BODY_LIMIT,
          logger,
          metrics,
          admission,
          retryAfterSec: config.WEBHOOK_RETRY_AFTER_SEC,
        });
        const pathSecret = config.REPCARD_WEBHOOK_PATH_SECRET;
        if (pathSecret) {
          const publish = (events: OutgoingEvent[]) => toKafka.publish(events);
          mountRepcardHintRoutes(app, {
            pathSecret,
            bodyLimit: config.WEBHOOK_BODY_LIMIT,
            publish,
            logger,
            metrics,
            admission,
            retryAfterSec: config.WEBHOOK_RETRY_AFTER_SEC,
          });
        }
      },
      // No PostgreSQL check: every replica shares the database, so its outage would take them all out
      // of the load balancer, and senders would get connection failures instead of 503 Retry-After.
      // Kafka metadata on one kept connection and the producer usable (not fenced), cached (ADR 0011).
      readiness: kafkaReady.checks,
      stop: cleanUp,
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
