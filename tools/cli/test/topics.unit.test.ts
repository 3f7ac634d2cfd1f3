import { DEFAULT_PROVISIONING, kubernetesName, planTopics, strimziKafkaTopics } from '@tributary/kafka';
import { planTable, retentionText } from '../src/commands/topics';

const plan = planTopics(
  [
    { name: 'ns_1.repcard.customers.v1', kind: 'entity', partitions: 3, compacted: false, retentionMs: -1 },
    { name: 'sync.checkpoints.v1', kind: 'checkpoint', partitions: 1, compacted: true },
  ],
  { ...DEFAULT_PROVISIONING, defaults: { replicationFactor: 3 } },
);

describe('tributary topics', () => {
  it('when printing the plan, then every line fits 80 columns and says RF, min ISR, cleanup and retention', () => {
    const lines = planTable(plan).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^ns_1\.repcard\.customers\.v1\s+entity\s+3\s+3\s+2 delete\s+forever$/);
    expect(lines[2]).toMatch(/compact default$/);
    expect(retentionText(7 * 86_400_000)).toBe('7 d');
  });

  it('when printing Strimzi resources, then the exact topic name is kept and the object name is Kubernetes-safe', () => {
    const yaml = strimziKafkaTopics(plan, { cluster: 'my-kafka', namespace: 'data' });
    expect(yaml.match(/^kind: KafkaTopic$/gm)).toHaveLength(2);
    expect(yaml).toContain('  name: ns-1.repcard.customers.v1\n  namespace: data\n');
    expect(yaml).toContain('  topicName: "ns_1.repcard.customers.v1"\n  partitions: 3\n  replicas: 3\n');
    expect(yaml).toContain('    strimzi.io/cluster: my-kafka\n');
    expect(yaml).toContain('    cleanup.policy: compact\n    min.insync.replicas: 2\n');
    expect(kubernetesName('-Foo_Bar.')).toBe('foo-bar');
  });
});
