import type { Kafka } from 'kafkajs';
import { uniqueName } from '@tributary/testkit';
import { createKafka } from '../src/client';
import { ensureTopics } from '../src/topics';
import { deleteTopics, stackEnv, testKafka } from './kafka-helpers';

describe('ensureTopics under concurrent provisioning', () => {
  let kafka: Kafka;
  const names: string[] = [];

  beforeAll(() => {
    kafka = testKafka();
  });
  afterAll(async () => {
    if (names.length > 0) await deleteTopics(kafka, names);
  });

  it('when 5 services provision the same fresh namespace at the same moment, then all succeed and every topic is created once with leaders', async () => {
    const namespace = uniqueName('race');
    const specs = Array.from({ length: 8 }, (_, i) => ({
      name: `${namespace}.topic-${i}.v1`,
      partitions: 1 + (i % 3),
      compacted: i === 0,
    }));
    names.push(...specs.map((s) => s.name));
    // One client per "service", as separate processes would have.
    const clients = Array.from({ length: 5 }, (_, i) =>
      createKafka({ brokers: stackEnv().brokers, clientId: `${namespace}-svc-${i}` }),
    );

    const results = await Promise.all(clients.map((client) => ensureTopics(client, specs)));

    for (const result of results) {
      expect([...result.created, ...result.existing].sort()).toEqual(specs.map((s) => s.name).sort());
      expect(result.mismatched).toEqual([]);
    }
    // Each topic was created by exactly one of them.
    const creators = specs.map((s) => results.filter((r) => r.created.includes(s.name)).length);
    expect(creators.every((n) => n <= 1)).toBe(true);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
      for (const spec of specs) {
        const found = topics.find((t) => t.name === spec.name)!;
        expect(found.partitions).toHaveLength(spec.partitions);
        expect(found.partitions.every((p) => p.leader >= 0)).toBe(true);
      }
    } finally {
      await admin.disconnect();
    }
  });
});
