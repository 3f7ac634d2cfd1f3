import type { Kafka } from 'kafkajs';
import { uniqueName } from '@tributary/testkit';
import { ensureTopics } from '../src/topics';
import { deleteTopics, testKafka } from './kafka-helpers';

describe('ensureTopics', () => {
  let kafka: Kafka;
  const names: string[] = [];

  beforeAll(() => {
    kafka = testKafka();
  });
  afterAll(async () => {
    if (names.length > 0) await deleteTopics(kafka, names);
  });

  it('when topics are missing, then they are created with their partitions and config; a second call changes nothing', async () => {
    const events = uniqueName('topics-events');
    const checkpoints = uniqueName('topics-checkpoints');
    names.push(events, checkpoints);
    const specs = [
      { name: events, partitions: 3, compacted: false, retentionMs: -1 },
      { name: checkpoints, partitions: 1, compacted: true },
    ];

    expect(await ensureTopics(kafka, specs)).toEqual({
      created: [events, checkpoints],
      existing: [],
      mismatched: [],
    });
    expect(await ensureTopics(kafka, specs)).toEqual({
      created: [],
      existing: [events, checkpoints],
      mismatched: [],
    });
    expect(await ensureTopics(kafka, [{ ...specs[0]!, partitions: 6 }])).toMatchObject({
      mismatched: [{ name: events, partitions: 3, expected: 6 }],
    });

    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [events, checkpoints] });
      const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual({ [events]: 3, [checkpoints]: 1 });
      expect(metadata.topics.every((t) => t.partitions.every((p) => p.leader >= 0))).toBe(true);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [events, checkpoints].map((name) => ({
          type: 2,
          name,
          configNames: ['cleanup.policy', 'retention.ms', 'max.message.bytes'],
        })),
      });
      const config = (name: string) =>
        Object.fromEntries(
          resources
            .find((r) => r.resourceName === name)!
            .configEntries.map((e) => [e.configName, e.configValue]),
        );
      expect(config(events)).toMatchObject({
        'cleanup.policy': 'delete',
        'retention.ms': '-1',
        'max.message.bytes': String(16 * 1024 * 1024),
      });
      expect(config(checkpoints)).toMatchObject({ 'cleanup.policy': 'compact' });
    } finally {
      await admin.disconnect();
    }
  });
});
