import type { PlannedTopic } from './topic-plan';

/** A Kubernetes object name for a topic: lower case, `[a-z0-9.-]`, starting and ending alphanumeric. */
export function kubernetesName(topic: string): string {
  const name = topic
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name.slice(0, 253) || 'topic';
}

/**
 * The plan as Strimzi `KafkaTopic` resources (kafka.strimzi.io/v1beta2), one YAML document per topic,
 * for clusters where the topic operator, not the services, owns topics (`KAFKA_TOPICS_CREATE=false`).
 * `spec.topicName` keeps the exact name; `metadata.name` is its Kubernetes-safe form.
 */
export function strimziKafkaTopics(
  plan: readonly PlannedTopic[],
  options: { cluster: string; namespace?: string },
): string {
  return plan
    .map((t) => {
      const config = [`    cleanup.policy: ${t.cleanupPolicy}`];
      if (t.retentionMs !== undefined) config.push(`    retention.ms: ${t.retentionMs}`);
      config.push(`    min.insync.replicas: ${t.minInsyncReplicas}`);
      return [
        'apiVersion: kafka.strimzi.io/v1beta2',
        'kind: KafkaTopic',
        'metadata:',
        `  name: ${kubernetesName(t.name)}`,
        ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
        '  labels:',
        `    strimzi.io/cluster: ${options.cluster}`,
        `    tributary/topic-family: ${t.family}`,
        'spec:',
        `  topicName: ${JSON.stringify(t.name)}`,
        `  partitions: ${t.partitions}`,
        `  replicas: ${t.replicationFactor}`,
        '  config:',
        ...config,
      ].join('\n');
    })
    .map((doc) => `---\n${doc}\n`)
    .join('');
}
