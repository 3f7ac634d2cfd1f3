import { uniqueName } from '@tributary/testkit';
import { ensureTopics } from '../src/topics';
import { checkTopics, requireTopics, TopicsMisconfiguredError } from '../src/topic-check';
import { planTopics } from '../src/topic-plan';
import { testKafka } from './kafka-helpers';

describe('checking topics against a plan (KAFKA_TOPICS_CREATE=false)', () => {
  const kafka = testKafka();
  const ns = uniqueName('check');
  const specs = [
    { name: `${ns}.entity`, kind: 'entity', partitions: 2, compacted: false, retentionMs: -1 },
    { name: `${ns}.checkpoints`, kind: 'checkpoint', partitions: 1, compacted: true },
  ];

  it('when topics exist as planned, then nothing is refused', async () => {
    const plan = planTopics(specs, { create: true, defaults: {}, families: {} });
    await ensureTopics(kafka, plan);
    await expect(requireTopics(kafka, plan)).resolves.toEqual([]);
  });

  it('when the plan asks for RF 3 on topics made with RF 1, then the start is refused naming the first topic', async () => {
    const plan = planTopics(specs, { create: false, defaults: { replicationFactor: 3 }, families: {} });
    const err = (await requireTopics(kafka, plan).catch((e: unknown) => e)) as TopicsMisconfiguredError;
    expect(err).toBeInstanceOf(TopicsMisconfiguredError);
    expect(err.code).toBe('KAFKA_TOPICS_MISCONFIGURED');
    expect(err.message).toMatch(
      new RegExp(
        `^topic ${ns}\\.entity: replication factor 1, at least 3 required \\(and 3 more problems\\)`,
      ),
    );
    expect(err.retriable).toBe(false);
  });

  it('when a topic is missing, then it is named; when only partitions differ, then it is reported, not refused', async () => {
    const missing = planTopics(
      [...specs, { name: `${ns}.missing`, kind: 'dlq', partitions: 1, compacted: false }],
      { create: false, defaults: {}, families: {} },
    );
    await expect(requireTopics(kafka, missing)).rejects.toThrow(`topic ${ns}.missing: does not exist`);
    const more = planTopics(specs, { create: false, defaults: {}, families: { entity: { partitions: 4 } } });
    expect(await requireTopics(kafka, more)).toEqual([
      { topic: `${ns}.entity`, kind: 'partitions', message: `topic ${ns}.entity: 2 partitions, 4 planned` },
    ]);
    expect(await checkTopics(kafka, more)).toHaveLength(1);
  });
});
