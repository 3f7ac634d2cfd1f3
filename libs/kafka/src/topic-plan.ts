import type { TopicSpecLike } from './contract';

/**
 * Topic provisioning as configuration (pure: no kafkajs). A plan says, for every topic, how many
 * partitions, which replication factor and `min.insync.replicas`, and its cleanup policy and
 * retention. The services create (or check) topics from it and `tributary topics` prints it.
 */

/** A topic spec with its family (a `TopicSpec` of `@tributary/contracts` fits). */
export interface FamilySpecLike extends TopicSpecLike {
  kind: string;
}

/** Settings of one family, or the defaults of every family; unset values fall back (see planTopics). */
export interface ProvisioningSettings {
  partitions?: number;
  replicationFactor?: number;
  minInsyncReplicas?: number;
}

export interface TopicProvisioning {
  /** true: services create missing topics; false: they only check that the plan's topics exist as planned. */
  create: boolean;
  /** `KAFKA_TOPIC_PARTITIONS`, `KAFKA_TOPIC_REPLICATION_FACTOR`, `KAFKA_TOPIC_MIN_INSYNC_REPLICAS`. */
  defaults: ProvisioningSettings;
  /** Per family (`KAFKA_TOPIC_PARTITIONS_ENTITY`, ...), over the defaults. */
  families: Readonly<Record<string, ProvisioningSettings>>;
}

/** One planned topic. */
export interface PlannedTopic extends TopicSpecLike {
  family: string;
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
  cleanupPolicy: 'compact' | 'delete';
}

/** The provisioning of the single-broker development stack: RF 1, min ISR 1, the specs' partitions, create on. */
export const DEFAULT_PROVISIONING: TopicProvisioning = { create: true, defaults: {}, families: {} };

/**
 * `min.insync.replicas` when none is configured: 2 from RF 3 up (a write survives one broker down
 * and is on two disks), else 1 (RF 1 or 2: one broker down must not stop writes).
 */
export function defaultMinInsyncReplicas(replicationFactor: number): number {
  return replicationFactor >= 3 ? 2 : 1;
}

/** The settings of `family`: the family's own, else the defaults, else the spec's partitions, RF 1. */
export function familySettings(
  provisioning: TopicProvisioning,
  family: string,
  specPartitions: number,
): Required<ProvisioningSettings> {
  const own = provisioning.families[family] ?? {};
  const partitions = own.partitions ?? provisioning.defaults.partitions ?? specPartitions;
  const replicationFactor = own.replicationFactor ?? provisioning.defaults.replicationFactor ?? 1;
  const minInsyncReplicas =
    own.minInsyncReplicas ??
    provisioning.defaults.minInsyncReplicas ??
    defaultMinInsyncReplicas(replicationFactor);
  return { partitions, replicationFactor, minInsyncReplicas };
}

/** Every spec with its family's settings applied, in the specs' order. */
export function planTopics(
  specs: readonly FamilySpecLike[],
  provisioning: TopicProvisioning,
): PlannedTopic[] {
  return specs.map((spec) => {
    const settings = familySettings(provisioning, spec.kind, spec.partitions);
    return {
      name: spec.name,
      family: spec.kind,
      compacted: spec.compacted,
      ...(spec.retentionMs !== undefined ? { retentionMs: spec.retentionMs } : {}),
      cleanupPolicy: spec.compacted ? 'compact' : 'delete',
      ...settings,
    };
  });
}

/** What the brokers say about an existing topic (from metadata and DescribeConfigs). */
export interface ObservedTopic {
  name: string;
  partitions: number;
  /** The smallest replica count among its partitions. */
  replicationFactor: number;
  /** Effective configs (topic override or broker default), as strings. */
  configs: Readonly<Record<string, string | undefined>>;
}

export interface TopicProblem {
  topic: string;
  /** `missing`, `replication`, `min-isr`, `cleanup`, `retention`: refuse; `partitions`: tell only. */
  kind: 'missing' | 'replication' | 'min-isr' | 'cleanup' | 'retention' | 'partitions';
  message: string;
}

/** Problems that make a service refuse to start when it does not create topics. */
export function isBlocking(problem: TopicProblem): boolean {
  return problem.kind !== 'partitions';
}

/**
 * How the existing topics differ from the plan. Refused: a topic missing, fewer replicas or a lower
 * `min.insync.replicas` than planned, another cleanup policy, a shorter retention (history the read
 * models are rebuilt from would expire). Only told: another partition count (consumers work with
 * any; keys are not moved automatically).
 */
export function topicProblems(
  plan: readonly PlannedTopic[],
  observed: readonly ObservedTopic[],
): TopicProblem[] {
  const byName = new Map(observed.map((t) => [t.name, t]));
  const problems: TopicProblem[] = [];
  for (const want of plan) {
    const found = byName.get(want.name);
    const add = (kind: TopicProblem['kind'], message: string) =>
      problems.push({ topic: want.name, kind, message: `topic ${want.name}: ${message}` });
    if (!found) {
      add('missing', 'does not exist');
      continue;
    }
    if (found.replicationFactor < want.replicationFactor) {
      add(
        'replication',
        `replication factor ${found.replicationFactor}, at least ${want.replicationFactor} required`,
      );
    }
    const minIsr = Number(found.configs['min.insync.replicas'] ?? '1');
    if (minIsr < want.minInsyncReplicas)
      add('min-isr', `min.insync.replicas ${minIsr}, at least ${want.minInsyncReplicas} required`);
    const policy = found.configs['cleanup.policy'] ?? 'delete';
    if (
      !policy.split(',').includes(want.cleanupPolicy) ||
      (want.cleanupPolicy === 'compact' && policy.includes('delete'))
    ) {
      add('cleanup', `cleanup.policy ${policy}, ${want.cleanupPolicy} required`);
    }
    if (want.retentionMs !== undefined && !retentionCovers(found.configs['retention.ms'], want.retentionMs)) {
      add(
        'retention',
        `retention.ms ${found.configs['retention.ms'] ?? 'unknown'}, ${want.retentionMs} required${want.retentionMs === -1 ? ' (forever)' : ''}`,
      );
    }
    if (found.partitions !== want.partitions)
      add('partitions', `${found.partitions} partitions, ${want.partitions} planned`);
  }
  return problems;
}

/** True when `actual` keeps records at least as long as `wanted` (-1: forever). */
function retentionCovers(actual: string | undefined, wanted: number): boolean {
  if (actual === undefined) return false;
  const ms = Number(actual);
  if (ms === -1) return true;
  return wanted !== -1 && ms >= wanted;
}

/** The broker config of a planned topic, as created: cleanup policy, retention, `min.insync.replicas`. */
export function plannedConfigEntries(topic: PlannedTopic): { name: string; value: string }[] {
  const entries: { name: string; value: string }[] = [{ name: 'cleanup.policy', value: topic.cleanupPolicy }];
  if (topic.retentionMs !== undefined)
    entries.push({ name: 'retention.ms', value: String(topic.retentionMs) });
  entries.push({ name: 'min.insync.replicas', value: String(topic.minInsyncReplicas) });
  return entries;
}
