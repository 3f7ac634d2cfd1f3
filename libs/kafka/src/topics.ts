import type { ITopicConfig, Kafka } from 'kafkajs';
import type { TopicSpecLike } from './contract';
import { toKafkaError } from './errors';

export interface EnsureTopicsOptions {
  /** Replication factor of created topics (default 1: the single-broker stack). */
  replicationFactor?: number;
  /** How long the broker may take to create them, ms (default 30000). */
  timeoutMs?: number;
}

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
  /** Existing topics whose partition count differs from the spec (never changed automatically). */
  mismatched: { name: string; partitions: number; expected: number }[];
}

/** The broker config of a spec: cleanup policy, and retention when the spec gives one. */
export function topicConfigEntries(spec: TopicSpecLike): { name: string; value: string }[] {
  const entries = [{ name: 'cleanup.policy', value: spec.compacted ? 'compact' : 'delete' }];
  if (spec.retentionMs !== undefined) entries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  return entries;
}

/**
 * Creates the topics of `specs` that do not exist yet and waits until each has a leader.
 * Idempotent: existing topics are left as they are (a differing partition count is reported, not
 * changed, since adding partitions moves keys). Throws a retriable DependencyError when the
 * brokers cannot be reached.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpecLike[],
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  const { replicationFactor = 1, timeoutMs = 30_000 } = options;
  const admin = kafka.admin();
  try {
    await admin.connect();
    const present = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !present.has(spec.name));
    const existingSpecs = specs.filter((spec) => present.has(spec.name));
    if (missing.length > 0) {
      const topics: ITopicConfig[] = missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: topicConfigEntries(spec),
      }));
      // Returns false when another process created them first: that is fine too.
      await admin.createTopics({ topics, waitForLeaders: true, timeout: timeoutMs });
    }
    const mismatched: EnsureTopicsResult['mismatched'] = [];
    if (existingSpecs.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: existingSpecs.map((spec) => spec.name) });
      for (const spec of existingSpecs) {
        const found = metadata.topics.find((t) => t.name === spec.name);
        if (found && found.partitions.length !== spec.partitions) {
          mismatched.push({
            name: spec.name,
            partitions: found.partitions.length,
            expected: spec.partitions,
          });
        }
      }
    }
    return {
      created: missing.map((spec) => spec.name),
      existing: existingSpecs.map((spec) => spec.name),
      mismatched,
    };
  } catch (err) {
    throw toKafkaError('KAFKA_TOPICS_FAILED', 'ensureTopics', err, { topics: specs.map((s) => s.name) });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
