import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { TributaryError } from '@tributary/core';
import { toKafkaError } from './errors';
import {
  isBlocking,
  topicProblems,
  type ObservedTopic,
  type PlannedTopic,
  type TopicProblem,
} from './topic-plan';

const CHECKED_CONFIGS = ['min.insync.replicas', 'cleanup.policy', 'retention.ms'];

/**
 * What the brokers say about the planned topics that exist: partitions, the smallest replica
 * count, and the effective `min.insync.replicas`, `cleanup.policy` and `retention.ms`. Topics that
 * do not exist are left out. Throws a retriable DependencyError when the brokers cannot be asked.
 */
export async function observeTopics(kafka: Kafka, names: readonly string[]): Promise<ObservedTopic[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const present = new Set(await admin.listTopics());
    const existing = names.filter((n) => present.has(n));
    if (existing.length === 0) return [];
    const { topics } = await admin.fetchTopicMetadata({ topics: existing });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: existing.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: CHECKED_CONFIGS,
      })),
    });
    const configsOf = new Map(
      described.resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: t.partitions.length ? Math.min(...t.partitions.map((p) => p.replicas.length)) : 0,
      configs: configsOf.get(t.name) ?? {},
    }));
  } catch (err) {
    throw toKafkaError('KAFKA_TOPICS_FAILED', 'observeTopics', err, { topics: names.length });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** How the cluster's topics differ from `plan` (see topicProblems). */
export async function checkTopics(kafka: Kafka, plan: readonly PlannedTopic[]): Promise<TopicProblem[]> {
  return topicProblems(
    plan,
    await observeTopics(
      kafka,
      plan.map((t) => t.name),
    ),
  );
}

/** A service that does not create topics refuses to start: the first blocking problem, and how many more. */
export class TopicsMisconfiguredError extends TributaryError {
  readonly problems: readonly TopicProblem[];
  constructor(problems: readonly TopicProblem[]) {
    const blocking = problems.filter(isBlocking);
    const [first] = blocking;
    const more =
      blocking.length > 1
        ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''})`
        : '';
    super(
      'KAFKA_TOPICS_MISCONFIGURED',
      `${first?.message ?? 'topics differ from the plan'}${more}; KAFKA_TOPICS_CREATE=false: topics are provisioned outside the services (tributary topics --strimzi)`,
      {
        retriable: false,
        details: { topics: blocking.map((p) => p.topic) },
      },
    );
    this.problems = blocking;
  }
}

/**
 * For services with `KAFKA_TOPICS_CREATE=false`: resolves with the non-blocking problems (partition
 * counts, to be logged) when every planned topic exists as planned, else throws
 * TopicsMisconfiguredError naming the first topic at fault.
 */
export async function requireTopics(kafka: Kafka, plan: readonly PlannedTopic[]): Promise<TopicProblem[]> {
  const problems = await checkTopics(kafka, plan);
  if (problems.some(isBlocking)) throw new TopicsMisconfiguredError(problems);
  return problems;
}
