import {
  CURAGENESIS_ENTITIES,
  REPCARD_ENTITIES,
  TOPICS,
  allTopicSpecs,
  dlqTopic,
  entityTopic,
  entityTopics,
  topicConfigEntries,
  topicEntity,
} from '@tributary/contracts';

describe('topics', () => {
  it('when listing every topic spec, then every name is unique', () => {
    const names = allTopicSpecs().map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('when listing every topic spec, then every TOPICS name is in it', () => {
    const names = allTopicSpecs().map((spec) => spec.name);
    for (const topic of Object.values(TOPICS)) expect(names).toContain(topic);
  });

  it('when listing every topic spec, then every data topic has a DLQ with its partitions', () => {
    const specs = allTopicSpecs();
    const data = specs.filter((spec) => spec.kind === 'entity' || spec.kind === 'webhook');
    expect(data).toHaveLength(REPCARD_ENTITIES.length + CURAGENESIS_ENTITIES.length + 1);
    for (const spec of data) {
      const dlq = specs.find((s) => s.name === dlqTopic(spec.name));
      expect(dlq).toMatchObject({ kind: 'dlq', partitions: spec.partitions, compacted: false });
    }
  });

  it('when reading the checkpoint spec, then it has one partition and is compacted', () => {
    const spec = allTopicSpecs().find((s) => s.name === TOPICS.checkpoints);
    expect(spec).toMatchObject({ partitions: 1, compacted: true });
    expect(topicConfigEntries(spec!)).toEqual([{ name: 'cleanup.policy', value: 'compact' }]);
    expect(allTopicSpecs().some((s) => s.name === dlqTopic(TOPICS.checkpoints))).toBe(false);
  });

  it('when reading the other specs, then they have three partitions and never-expiring data', () => {
    for (const spec of allTopicSpecs().filter((s) => s.name !== TOPICS.checkpoints)) {
      expect(spec.partitions).toBe(3);
      expect(spec.compacted).toBe(false);
    }
    const entity = allTopicSpecs().find((s) => s.name === TOPICS.repcardCustomers)!;
    expect(topicConfigEntries(entity)).toEqual([
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: '-1' },
    ]);
  });

  it('when naming an entity topic, then underscores become hyphens', () => {
    expect(entityTopic('repcard', 'status_logs')).toBe(TOPICS.repcardStatusLogs);
    expect(entityTopic('repcard', 'appointment_attachments')).toBe(TOPICS.repcardAppointmentAttachments);
    expect(entityTopic('curagenesis', 'orders')).toBe(TOPICS.curagenesisOrders);
  });

  it('when asking for an entity of another source, then it throws', () => {
    expect(() => entityTopic('curagenesis', 'users' as never)).toThrow(/no entity topic/);
  });

  it('when listing entity topics, then they follow the sync order and map back to their entity', () => {
    expect(entityTopics().map((t) => t.entity)).toEqual([...REPCARD_ENTITIES, ...CURAGENESIS_ENTITIES]);
    expect(topicEntity('repcard.status-logs.v1')).toEqual({ source: 'repcard', entity: 'status_logs' });
    expect(topicEntity(TOPICS.syncEvents)).toBeNull();
  });
});
