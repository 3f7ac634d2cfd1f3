import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { loadConfig } from '@tributary/config';
import { contractFor, type RecordObserved, type WebhookReceived } from '@tributary/contracts';
import { createKafka, SchemaCodec } from '@tributary/kafka';
import { createLogger, createMetrics } from '@tributary/observability';
import { uniqueName } from '@tributary/testkit';
import { startWebhookGateway, type WebhookGatewayDeps } from '../src/app';
import { webhookGatewayConfigSchema } from '../src/config';
import { createPublicServer } from '../src/entry-points/public-server';

/** A secret the gateway accepts outside demo mode: 32 random bytes. */
export const strongSecret = (): string => randomBytes(32).toString('hex');

export interface RunningGateway {
  base: string;
  /** The gateway's metrics (e.g. Kafka transactions committed). */
  metrics: ReturnType<typeof createMetrics>;
  stop(): Promise<void>;
}

/** The gateway in-process on a free public port, against the real Kafka, registry and PostgreSQL. */
export async function startGateway(
  env: Record<string, string>,
  deps: WebhookGatewayDeps = {},
): Promise<RunningGateway> {
  const config = loadConfig(webhookGatewayConfigSchema, { ...process.env, LOG_LEVEL: 'error', ...env });
  const logger = createLogger('webhook-gateway', { level: 'error' });
  const metrics = createMetrics('webhook-gateway');
  const running = await startWebhookGateway({ config, logger, metrics }, deps);
  const server = createPublicServer({
    service: 'webhook-gateway',
    logger,
    metrics,
    configure: running.configure!,
  });
  const port = await server.start(0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${port}`,
    metrics,
    async stop() {
      await server.stop();
      await running.stop();
    },
  };
}

export type Collected = { topic: string; key: string; value: WebhookReceived | RecordObserved };

/** A read-committed reader of `topics` from their current end, keeping what mentions `tag`. */
export async function collect(brokers: string[], registryUrl: string, topics: string[], tag: string) {
  const kafka: Kafka = createKafka({ brokers, clientId: uniqueName('wg-collector') });
  const codec = new SchemaCodec({ url: registryUrl });
  const admin = kafka.admin();
  await admin.connect();
  const start = await Promise.all(topics.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const));
  await admin.disconnect();
  const collected: Collected[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueName('wg-collector'),
    readUncommitted: false,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const raw = message.value?.toString('latin1') ?? '';
      if (!raw.includes(tag) && !(message.key?.toString() ?? '').includes(tag)) return;
      const value = (await codec.decode(message.value, contractFor(topic))) as
        WebhookReceived | RecordObserved;
      collected.push({ topic, key: message.key?.toString() ?? '', value });
    },
  });
  for (const [topic, offsets] of start)
    for (const { partition, high } of offsets) consumer.seek({ topic, partition, offset: high });
  return {
    collected,
    async stop() {
      await consumer.disconnect();
      codec.close();
    },
  };
}
