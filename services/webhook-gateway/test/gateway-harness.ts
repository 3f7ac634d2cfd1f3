import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { loadConfig } from '@tributary/config';
import { contractFor, type RecordObserved, type WebhookReceived } from '@tributary/contracts';
import { createKafka, ensureTopics, SchemaCodec } from '@tributary/kafka';
import { createLogger, createMetrics } from '@tributary/observability';
import { kafkaClusterSchema, topicPlanOf } from '@tributary/service';
import { uniqueName, waitFor } from '@tributary/testkit';
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

/**
 * A read-committed reader of `topics` from their current end, keeping what mentions `tag`. The
 * topics are provisioned first: on a fresh stack no service has created them yet.
 */
export async function collect(brokers: string[], registryUrl: string, topics: string[], tag: string) {
  const kafka: Kafka = createKafka({ brokers, clientId: uniqueName('wg-collector') });
  const plan = topicPlanOf(loadConfig(kafkaClusterSchema, process.env)).filter((t) =>
    topics.includes(t.name),
  );
  if (plan.length !== topics.length) throw new Error(`collect: not in the topic plan: ${topics.join(', ')}`);
  await ensureTopics(kafka, plan);
  const codec = new SchemaCodec({ url: registryUrl });
  const admin = kafka.admin();
  await admin.connect();
  // A topic just created may not be served by every broker's metadata yet: asked again until it is.
  const start = await waitFor(
    () => Promise.all(topics.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const)),
    { description: `the end offsets of ${topics.join(', ')}` },
  );
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
