import type { Kafka } from 'kafkajs';
import { allContracts, allTopicSpecs, contractFor } from '@tributary/contracts';
import { createKafka, ensureTopics, SchemaCodec, type OutgoingRecord } from '@tributary/kafka';
import type { Logger } from '@tributary/observability';
import { registerContracts } from './provision';

export interface Platform {
  kafka: Kafka;
  codec: SchemaCodec;
}

/**
 * Kafka client and schema codec of a service, with every topic provisioned (idempotent) and every
 * contract's JSON Schema registered, so a service can start on an empty cluster. Safe while the other
 * services do the same at the same moment (a first install): topic creation and schema registration
 * retry each other's races (ensureTopics, registerContracts).
 */
export async function connectPlatform(opts: { brokers: string[]; registryUrl: string; clientId: string; logger: Logger }): Promise<Platform> {
  const kafka = createKafka({ brokers: opts.brokers, clientId: opts.clientId, logger: opts.logger });
  const codec = new SchemaCodec({ url: opts.registryUrl, clientId: opts.clientId, logger: opts.logger });
  const topics = await ensureTopics(kafka, allTopicSpecs(), { logger: opts.logger });
  if (topics.created.length) opts.logger.info('kafka.topics.created', `created ${topics.created.length} topics`, { topics: topics.created });
  await registerContracts(codec, allContracts(), opts.logger);
  return { kafka, codec };
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
  return records.map((r) => ({ contract: contractFor(r.topic), key: r.key, value: r.value, ...(r.headers ? { headers: r.headers } : {}) }));
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
    await admin.setOffsets({ groupId, topic, partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })) });
  } finally {
    await admin.disconnect();
  }
}
