import type { Kafka, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { ValidationError } from '@tributary/core';
import { fastConsumer, uniqueName, waitFor } from '@tributary/testkit';
import { createKafka } from '../src/client';
import type { ContractLike } from '../src/contract';
import { ensureTopics } from '../src/topics';

/** Test helpers for the integration tests (real Kafka, registry and PostgreSQL from the stack). */

export function stackEnv(): { brokers: string[]; registryUrl: string; databaseUrl: string } {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL } = process.env;
  if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL || !DATABASE_URL) {
    throw new Error('KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL must be set (jest global setup)');
  }
  return { brokers: KAFKA_BROKERS.split(','), registryUrl: SCHEMA_REGISTRY_URL, databaseUrl: DATABASE_URL };
}

/** A quiet kafkajs client with fast retries. */
export function testKafka(): Kafka {
  return createKafka({
    brokers: stackEnv().brokers,
    clientId: uniqueName('kafka-it'),
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 5 },
  });
}

/** Consumer settings that keep group joins and fetches fast. */
export const FAST_CONSUMER = fastConsumer(3);

/** A tiny contract built from a zod schema, shaped like those of @tributary/contracts. */
export function testContract<T>(topic: string, schema: z.ZodType<T>): ContractLike<T> {
  return {
    topic,
    subject: `${topic}-value`,
    jsonSchema: () => z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>,
    decode: (value) => {
      const result = schema.safeParse(value);
      if (!result.success) throw new ValidationError(`${topic}: ${result.error.issues[0]?.message}`);
      return result.data;
    },
  };
}

export async function createTestTopics(kafka: Kafka, names: string[], partitions = 1): Promise<void> {
  await ensureTopics(
    kafka,
    names.map((name) => ({ name, partitions, compacted: false })),
  );
}

export async function deleteTopics(kafka: Kafka, names: string[]): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics: names, timeout: 10_000 });
  } catch {
    // best effort: the names are unique anyway
  } finally {
    await admin.disconnect();
  }
}

export async function produceRaw(
  kafka: Kafka,
  topic: string,
  messages: { key: string | null; value: Buffer | string | null; headers?: Record<string, string> }[],
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

export type RawRead = KafkaMessage & { partition: number };

/**
 * Every record of `topic` up to its end as of now, read by a throwaway group (read committed
 * unless told otherwise). "Up to its end" includes transaction markers and aborted records,
 * which kafkajs reports through END_BATCH_PROCESS even when it filters them out.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  options: { readUncommitted?: boolean } = {},
): Promise<RawRead[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(
    ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]),
  );
  const out: RawRead[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const end = remaining.get(payload.partition);
    if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) remaining.delete(payload.partition);
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        out.push({ ...message, partition });
      },
    });
    await waitFor(() => remaining.size === 0, { timeoutMs: 30_000, description: `end of ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** The committed offset of `groupId` per partition of `topic` (-1: none). */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((result?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}
