import {
  DEFAULT_PROVISIONING,
  planTopics,
  plannedConfigEntries,
  topicProblems,
  type ObservedTopic,
  type PlannedTopic,
} from '@tributary/kafka';

const specs = [
  { name: 'e', kind: 'entity', partitions: 3, compacted: false, retentionMs: -1 },
  { name: 'c', kind: 'checkpoint', partitions: 1, compacted: true },
  { name: 'e.dlq', kind: 'dlq', partitions: 3, compacted: false, retentionMs: -1 },
];

describe('topic plan', () => {
  it('when nothing is configured, then the specs are planned as the single-broker stack made them', () => {
    expect(
      planTopics(specs, DEFAULT_PROVISIONING).map((t) => [
        t.name,
        t.partitions,
        t.replicationFactor,
        t.minInsyncReplicas,
        t.cleanupPolicy,
      ]),
    ).toEqual([
      ['e', 3, 1, 1, 'delete'],
      ['c', 1, 1, 1, 'compact'],
      ['e.dlq', 3, 1, 1, 'delete'],
    ]);
  });

  it('when defaults and a family override are set, then the family wins and min ISR defaults to 2 from RF 3', () => {
    const plan = planTopics(specs, {
      create: false,
      defaults: { partitions: 12, replicationFactor: 3 },
      families: { checkpoint: { partitions: 1 }, dlq: { replicationFactor: 2 } },
    });
    expect(plan.map((t) => [t.name, t.partitions, t.replicationFactor, t.minInsyncReplicas])).toEqual([
      ['e', 12, 3, 2],
      ['c', 1, 3, 2],
      ['e.dlq', 12, 2, 1],
    ]);
    expect(plannedConfigEntries(plan[0]!)).toEqual([
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: '-1' },
      { name: 'min.insync.replicas', value: '2' },
    ]);
  });

  describe('checked against the cluster', () => {
    const plan: PlannedTopic[] = planTopics(specs, {
      create: false,
      defaults: { replicationFactor: 3 },
      families: {},
    });
    const good: ObservedTopic[] = plan.map((t) => ({
      name: t.name,
      partitions: t.partitions,
      replicationFactor: 3,
      configs: {
        'min.insync.replicas': '2',
        'cleanup.policy': t.cleanupPolicy,
        'retention.ms': t.retentionMs === undefined ? '604800000' : String(t.retentionMs),
      },
    }));

    it('when every topic is as planned, then there is no problem', () => {
      expect(topicProblems(plan, good)).toEqual([]);
    });

    it('when a topic is missing or has a lower RF, min ISR, another policy or a shorter retention, then each is named', () => {
      const observed = [
        {
          ...good[0]!,
          replicationFactor: 1,
          configs: { ...good[0]!.configs, 'min.insync.replicas': '1', 'retention.ms': '604800000' },
        },
        { ...good[1]!, configs: { ...good[1]!.configs, 'cleanup.policy': 'delete' }, partitions: 2 },
      ];
      expect(topicProblems(plan, observed).map((p) => p.message)).toEqual([
        'topic e: replication factor 1, at least 3 required',
        'topic e: min.insync.replicas 1, at least 2 required',
        'topic e: retention.ms 604800000, -1 required (forever)',
        'topic c: cleanup.policy delete, compact required',
        'topic c: 2 partitions, 1 planned',
        'topic e.dlq: does not exist',
      ]);
    });
  });
});
