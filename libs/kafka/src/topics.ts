import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { errorMessage, sleep } from '@tributary/core';
import { LogEvents } from '@tributary/observability';
import type { KafkaLogger } from './client';
import type { TopicSpecLike } from './contract';
import { kafkaErrorType, toKafkaError } from './errors';

/** A spec with, optionally, its own replication factor and `min.insync.replicas` (a PlannedTopic fits). */
export interface ProvisionedSpecLike extends TopicSpecLike {
  replicationFactor?: number;
  minInsyncReplicas?: number;
}

export interface EnsureTopicsOptions {
  /** Replication factor of created topics whose spec gives none (default 1: the single-broker stack). */
  replicationFactor?: number;
  /** How long creation and the wait for leaders may take in all, ms (default 30000). */
  timeoutMs?: number;
  /** Where retried races are reported (debug). */
  logger?: KafkaLogger;
}

export interface EnsureTopicsResult {
  /** Topics this call created (a topic another process created meanwhile is `existing`). */
  created: string[];
  existing: string[];
  /** Existing topics whose partition count differs from the spec (never changed automatically). */
  mismatched: { name: string; partitions: number; expected: number }[];
}

/**
 * The largest record batch a topic takes (the broker's default is 1 MB): a source record with a
 * 2 MB text must not fail the page's transaction and stop its entity (found by the chaos suite).
 * Consumers still progress on a batch larger than their fetch size (KIP-74).
 */
export const TOPIC_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * The broker config of a spec: cleanup policy, the largest batch, and retention and
 * `min.insync.replicas` when the spec gives them.
 */
export function topicConfigEntries(spec: ProvisionedSpecLike): { name: string; value: string }[] {
  const entries = [
    { name: 'cleanup.policy', value: spec.compacted ? 'compact' : 'delete' },
    { name: 'max.message.bytes', value: String(TOPIC_MAX_MESSAGE_BYTES) },
  ];
  if (spec.retentionMs !== undefined) entries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  if (spec.minInsyncReplicas !== undefined)
    entries.push({ name: 'min.insync.replicas', value: String(spec.minInsyncReplicas) });
  return entries;
}

/**
 * Broker answers that mean "another process is creating the same topics right now" or "the new
 * topic is not visible everywhere yet": retried until the metadata shows every topic with leaders.
 */
const RACE_TYPES = new Set([
  'TOPIC_ALREADY_EXISTS',
  'UNKNOWN_TOPIC_OR_PARTITION', // "This server does not host this topic-partition"
  'LEADER_NOT_AVAILABLE',
  'NOT_CONTROLLER',
  'NOT_LEADER_FOR_PARTITION',
  'REQUEST_TIMED_OUT',
]);

/** True for the errors of topics being created concurrently (also inside a kafkajs aggregate). */
export function isTopicRace(err: unknown): boolean {
  const nested = (err as { errors?: unknown[] } | undefined)?.errors;
  if (Array.isArray(nested) && nested.length > 0) return nested.every(isTopicRace);
  const type = kafkaErrorType(err);
  if (type !== undefined) return RACE_TYPES.has(type);
  const message = errorMessage(err);
  return /does not host this topic-partition|leader|already exists|Timed out while waiting for topic/i.test(
    message,
  );
}

/** Backoff between attempts: 100 ms doubling to 2 s. */
export function topicRetryDelayMs(attempt: number): number {
  return Math.min(2_000, 100 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Creates the topics of `specs` that do not exist yet and waits until each has a leader for every
 * partition. Idempotent, and safe while other processes do the same at the same moment (a first
 * install: every service provisions every topic at start-up): a topic someone else created first
 * counts as existing, and "unknown topic" / "leader not available" answers of a topic still being
 * created are retried with backoff within `timeoutMs`. Existing topics are left as they are (a
 * differing partition count is reported, not changed, since adding partitions moves keys). Throws a
 * retriable DependencyError when the brokers cannot be reached or the topics do not appear in time.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly ProvisionedSpecLike[],
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  const { replicationFactor = 1, timeoutMs = 30_000, logger } = options;
  const deadline = Date.now() + timeoutMs;
  const admin = kafka.admin();
  try {
    await admin.connect();
    const present = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !present.has(spec.name));
    const existingSpecs = specs.filter((spec) => present.has(spec.name));
    const created = new Set<string>();
    // One topic per request: kafkajs answers `false` for a topic that exists, so who created what is known.
    await Promise.all(
      missing.map(async (spec) => {
        if (await createTopic(admin, spec, spec.replicationFactor ?? replicationFactor, deadline, logger))
          created.add(spec.name);
      }),
    );
    const metadata = await waitForLeaders(
      admin,
      specs.map((s) => s.name),
      deadline,
      logger,
    );
    const mismatched: EnsureTopicsResult['mismatched'] = [];
    for (const spec of existingSpecs) {
      const found = metadata.find((t) => t.name === spec.name);
      if (found && found.partitions.length !== spec.partitions) {
        mismatched.push({ name: spec.name, partitions: found.partitions.length, expected: spec.partitions });
      }
    }
    const createdNames = specs.map((s) => s.name).filter((n) => created.has(n));
    return {
      created: createdNames,
      existing: specs.map((s) => s.name).filter((n) => !created.has(n)),
      mismatched,
    };
  } catch (err) {
    throw toKafkaError('KAFKA_TOPICS_FAILED', 'ensureTopics', err, { topics: specs.map((s) => s.name) });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Creates one topic; `false` when another process created it first. Retries races until `deadline`. */
async function createTopic(
  admin: Admin,
  spec: ProvisionedSpecLike,
  replicationFactor: number,
  deadline: number,
  logger?: KafkaLogger,
): Promise<boolean> {
  const topic: ITopicConfig = {
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor,
    configEntries: topicConfigEntries(spec),
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Leaders are awaited afterwards (waitForLeaders), with the retries kafkajs' own wait lacks.
      return await admin.createTopics({
        topics: [topic],
        waitForLeaders: false,
        timeout: Math.max(1_000, deadline - Date.now()),
      });
    } catch (err) {
      if (kafkaErrorType(err) === 'TOPIC_ALREADY_EXISTS') return false;
      if (!isTopicRace(err) || Date.now() + topicRetryDelayMs(attempt) > deadline) throw err;
      logger?.debug(
        LogEvents.kafkaTopicsRetried,
        `creating ${spec.name} raced with another process: ${errorMessage(err)}`,
        { attempt },
      );
      await sleep(topicRetryDelayMs(attempt));
      if ((await admin.listTopics()).includes(spec.name)) return false;
    }
  }
}

type TopicMetadata = Awaited<ReturnType<Admin['fetchTopicMetadata']>>['topics'];

/** The metadata of `names` once every partition of each has a leader; retries races until `deadline`. */
async function waitForLeaders(
  admin: Admin,
  names: string[],
  deadline: number,
  logger?: KafkaLogger,
): Promise<TopicMetadata> {
  if (names.length === 0) return [];
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const led =
        topics.length === names.length &&
        topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (led) return topics;
      if (Date.now() + topicRetryDelayMs(attempt) > deadline)
        throw new Error('Timed out while waiting for topic leaders');
    } catch (err) {
      if (!isTopicRace(err) || Date.now() + topicRetryDelayMs(attempt) > deadline) throw err;
      logger?.debug(LogEvents.kafkaTopicsRetried, `topic metadata not there yet: ${errorMessage(err)}`, {
        attempt,
      });
    }
    await sleep(topicRetryDelayMs(attempt));
  }
}
