import { groupCommit, TransactionalPublisher } from '@tributary/kafka';
import { connectPlatform, withContracts, type RunningService, type ServiceContext } from '@tributary/service';
import type { WebhookGatewayConfig } from './config';
import { transactionalIdOf } from './config';
import { DedupWindow } from './domain/dedup-window';
import { createDeliveryReceiver } from './domain/receive-delivery';
import { mountWebhookRoutes } from './entry-points/http';

/**
 * webhook-gateway: receives CuraGenesis webhooks, verifies their signature over the exact bytes
 * received, and publishes each accepted delivery (its WebhookReceived and, for a known event, the
 * RecordObserved of the practice or order) in ONE Kafka transaction before answering 202. Bodies are
 * read raw (no JSON middleware), so `jsonBody: false`.
 */
export async function startWebhookGateway({
  config,
  logger,
  metrics,
}: ServiceContext<WebhookGatewayConfig>): Promise<RunningService> {
  const { kafka, codec } = await connectPlatform({
    brokers: config.KAFKA_BROKERS,
    registryUrl: config.SCHEMA_REGISTRY_URL,
    clientId: config.KAFKA_CLIENT_ID ?? 'webhook-gateway',
    logger,
  });
  const transactionalId = transactionalIdOf(config.WEBHOOK_GATEWAY_INSTANCE_ID);
  const producer = await TransactionalPublisher.create({ kafka, transactionalId, codec, logger, metrics });
  logger.info('kafka.connected', `transactional producer ${transactionalId} ready`, { transactionalId });
  /** Set once another producer took our transactional id: this instance can never publish again. */
  let fenced = false;
  // Deliveries arriving during a transaction share the next one (each still answered only after commit).
  const publishGrouped = groupCommit((records: Parameters<typeof withContracts>[0][number][]) =>
    producer.publishAtomically(withContracts(records)),
  );

  const receiver = createDeliveryReceiver({
    secret: config.CURAGENESIS_WEBHOOK_SECRET,
    toleranceSec: config.WEBHOOK_TOLERANCE_SEC,
    // In memory: repeats after a restart, or on another replica, are absorbed by the projector,
    // which deduplicates on the delivery id.
    dedup: new DedupWindow({
      windowMs: config.WEBHOOK_DEDUP_WINDOW_MS,
      maxEntries: config.WEBHOOK_DEDUP_MAX_ENTRIES,
    }),
    async publish(events) {
      try {
        await publishGrouped([...events]);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'KAFKA_PRODUCER_FENCED') fenced = true;
        throw err;
      }
    },
  });

  return {
    jsonBody: false,
    configure: (app) =>
      mountWebhookRoutes(app, { receiver, bodyLimit: config.WEBHOOK_BODY_LIMIT, logger, metrics }),
    readiness: {
      kafka: async () => {
        const admin = kafka.admin();
        await admin.connect();
        await admin.disconnect();
      },
      producer: async () => {
        if (fenced)
          throw new Error(
            `producer ${transactionalId} was fenced by another instance with the same WEBHOOK_GATEWAY_INSTANCE_ID`,
          );
      },
    },
    async stop() {
      await producer.close();
      codec.close();
    },
  };
}
