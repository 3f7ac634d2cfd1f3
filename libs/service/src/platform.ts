import type { Kafka } from 'kafkajs';
import { loadConfig } from '@tributary/config';
import { allContracts, contractFor } from '@tributary/contracts';
import {
  createKafka,
  describeSecurity,
  ensureTopics,
  isBlocking,
  kafkaSecurity,
  requireTopics,
  checkTopics,
  SchemaCodec,
  type OutgoingRecord,
  type PlannedTopic,
} from '@tributary/kafka';
import type { Logger } from '@tributary/observability';
import {
  kafkaClusterSchema,
  kafkaSecurityOf,
  registryAuthOf,
  topicPlanOf,
  type KafkaClusterConfig,
} from './kafka-env';
import { registerContracts } from './provision';

export interface Platform {
  kafka: Kafka;
  codec: SchemaCodec;
}

/**
 * Kafka client and schema codec of a service, with every topic provisioned as the config plans it and
 * every contract's JSON Schema registered, so a service can start on an empty cluster. Safe while the
 * other services do the same at the same moment (a first install): topic creation and schema
 * registration retry each other's races (ensureTopics, registerContracts).
 *
 * `cluster`: the service's parsed config (it spreads `kafkaClusterEnv`): SASL/TLS, registry
 * credentials, topic provisioning. Without it these variables are read from the environment through
 * the same schema. With `KAFKA_TOPICS_CREATE=false` nothing is created: every planned topic must
 * exist with at least the planned replication factor and `min.insync.replicas`, its cleanup policy
 * and retention, or this throws `KAFKA_TOPICS_MISCONFIGURED` naming the topic (the service refuses
 * to start).
 */
export async function connectPlatform(opts: {
  brokers: string[];
  registryUrl: string;
  clientId: string;
  logger: Logger;
  cluster?: KafkaClusterConfig;
}): Promise<Platform> {
  const cluster = opts.cluster ?? loadConfig(kafkaClusterSchema, process.env);
  const security = kafkaSecurityOf(cluster);
  const auth = registryAuthOf(cluster);
  const kafka = createKafka({
    brokers: opts.brokers,
    clientId: opts.clientId,
    logger: opts.logger,
    ...kafkaSecurity(security),
  });
  const codec = new SchemaCodec({
    url: opts.registryUrl,
    clientId: opts.clientId,
    logger: opts.logger,
    ...(auth ? { auth } : {}),
  });
  const plan = topicPlanOf(cluster);
  opts.logger.debug(
    'kafka.connected',
    `kafka ${opts.brokers.join(',')}: ${describeSecurity(security)}; topics ${cluster.KAFKA_TOPICS_CREATE ? 'created when missing' : 'checked, never created'}`,
  );
  await provisionTopics(kafka, plan, cluster.KAFKA_TOPICS_CREATE, opts.logger);
  await registerContracts(codec, allContracts(), opts.logger);
  return { kafka, codec };
}

/** Creates the missing topics of `plan` (create on) or checks them (create off; throws naming a topic). */
async function provisionTopics(
  kafka: Kafka,
  plan: readonly PlannedTopic[],
  create: boolean,
  logger: Logger,
): Promise<void> {
  if (!create) {
    const told = await requireTopics(kafka, plan);
    for (const problem of told)
      logger.warn('kafka.topics.created', problem.message, { topic: problem.topic });
    return;
  }
  const topics = await ensureTopics(kafka, plan, { logger });
  if (topics.created.length)
    logger.info('kafka.topics.created', `created ${topics.created.length} topics`, {
      topics: topics.created,
    });
  // Topics that existed before may have been made with less safety than now planned: said, not changed.
  const problems = plan.some((t) => t.replicationFactor > 1 || t.minInsyncReplicas > 1)
    ? await checkTopics(kafka, plan)
    : [];
  for (const problem of problems.filter(isBlocking))
    logger.warn('kafka.topics.created', `${problem.message} (not changed automatically)`, {
      topic: problem.topic,
    });
}

/** A record named by its topic, as pure code that knows no contracts builds it (the webhook gateway's). */
export interface TopicRecord {
  topic: string;
  key: string;
  value: unknown;
  headers?: Record<string, string>;
}

/**
 * TopicRecords as OutgoingRecords: each with its topic's contract. Code that can name the contract
 * builds OutgoingRecords directly (the ingest runtime, libs/sync/src/outgoing.ts).
 */
export function withContracts(records: readonly TopicRecord[]): OutgoingRecord[] {
  return records.map((r) => ({
    contract: contractFor(r.topic),
    key: r.key,
    value: r.value,
    ...(r.headers ? { headers: r.headers } : {}),
  }));
}

/**
 * A consumer group that has never committed starts at the END of `topic` (commands published
 * before the service's first start are history, not work), and from then on always resumes at its
 * committed offsets, so a command whose handling was interrupted (crash, kill -9) is redelivered.
 * Call before starting the consumer with `fromBeginning: true`.
 */
export async function startNewGroupAtEnd(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const partitions = committed.flatMap((t) => t.partitions);
    if (partitions.some((p) => p.offset !== '-1')) return;
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })),
    });
  } finally {
    await admin.disconnect();
  }
}
