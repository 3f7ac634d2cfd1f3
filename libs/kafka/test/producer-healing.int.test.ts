import type { Kafka, Producer } from 'kafkajs';
import { z } from 'zod';
import { uniqueName } from '@tributary/testkit';
import { SchemaCodec } from '../src/codec';
import { ensureTopics } from '../src/topics';
import { replicaTransactionalId } from '../src/transactional-id';
import { TransactionalPublisher } from '../src/transactional-producer';
import { deleteTopics, readTopic, stackEnv, testContract, testKafka } from './kafka-helpers';

const Thing = z.object({ id: z.string() });

/** `kafka` whose producers' first `commit` fails (a lost connection) before reaching the broker. */
function failingFirstCommit(kafka: Kafka): Kafka {
  let failed = false;
  return new Proxy(kafka, {
    get(target, prop, receiver) {
      if (prop !== 'producer') return Reflect.get(target, prop, receiver) as unknown;
      return (config: Parameters<Kafka['producer']>[0]): Producer => {
        const producer = target.producer(config);
        const transaction = producer.transaction.bind(producer);
        producer.transaction = async () => {
          const tx = await transaction();
          const commit = tx.commit.bind(tx);
          tx.commit = async () => {
            if (failed) return commit();
            failed = true;
            throw Object.assign(new Error('Connection closed'), { name: 'KafkaJSConnectionClosedError' });
          };
          return tx;
        };
        return producer;
      };
    },
  });
}

describe('TransactionalPublisher healing and per-replica ids', () => {
  let kafka: Kafka;
  let codec: SchemaCodec;
  const topics: string[] = [];

  beforeAll(() => {
    kafka = testKafka();
    codec = new SchemaCodec({ url: stackEnv().registryUrl });
  });
  afterAll(async () => {
    if (topics.length > 0) await deleteTopics(kafka, topics);
  });

  async function topic(name: string) {
    const t = uniqueName(name);
    topics.push(t);
    await ensureTopics(kafka, [{ name: t, partitions: 1, compacted: false }]);
    return testContract(t, Thing);
  }
  const rec = (contract: Awaited<ReturnType<typeof topic>>, id: string) => ({
    contract,
    key: id,
    value: { id },
  });

  it('when a commit fails, then the caller gets a retriable error, the producer is made anew and the next transaction commits', async () => {
    const things = await topic('heal-commit');
    const publisher = await TransactionalPublisher.create({
      kafka: failingFirstCommit(kafka),
      codec,
      transactionalId: uniqueName('tx-heal'),
    });
    try {
      await expect(publisher.publishAtomically([rec(things, 'lost')])).rejects.toMatchObject({
        code: 'KAFKA_TRANSACTION_FAILED',
        retriable: true,
      });
      expect(publisher.health()).toMatchObject({ state: 'recreating', generation: 1 });
      await publisher.publishAtomically([rec(things, 'kept')]);
      expect(publisher.health()).toMatchObject({ state: 'ready', generation: 2 });
    } finally {
      await publisher.close();
    }
    expect((await readTopic(kafka, things.topic)).map((m) => m.key?.toString())).toEqual(['kept']);
  });

  it('when a send fails (a topic that does not exist), then the next transaction commits on a new producer', async () => {
    const things = await topic('heal-send');
    const missing = testContract(uniqueName('heal-no-such-topic'), Thing);
    const publisher = await TransactionalPublisher.create({
      kafka,
      codec,
      transactionalId: uniqueName('tx-heal'),
    });
    try {
      await expect(publisher.publishAtomically([rec(things, 'a'), rec(missing, 'b')])).rejects.toMatchObject({
        retriable: true,
      });
      await publisher.publishAtomically([rec(things, 'c')]);
      expect(publisher.health().generation).toBe(2);
    } finally {
      await publisher.close();
    }
    expect((await readTopic(kafka, things.topic)).map((m) => m.key?.toString())).toEqual(['c']);
  });

  it('when two replicas share the configured id but not their instance id, then neither fences the other', async () => {
    const things = await topic('replicas');
    const prefix = uniqueName('tx-ingest');
    const [a, b] = await Promise.all(
      ['pod-0', 'pod-1'].map((instance) =>
        TransactionalPublisher.create({
          kafka,
          codec,
          transactionalId: replicaTransactionalId(prefix, instance),
        }),
      ),
    );
    try {
      for (let i = 0; i < 3; i += 1) {
        await a!.publishAtomically([rec(things, `a${i}`)]);
        await b!.publishAtomically([rec(things, `b${i}`)]);
      }
      expect([a!.health().state, b!.health().state]).toEqual(['ready', 'ready']);
    } finally {
      await a!.close();
      await b!.close();
    }
    expect((await readTopic(kafka, things.topic)).map((m) => m.key?.toString()).sort()).toEqual([
      'a0',
      'a1',
      'a2',
      'b0',
      'b1',
      'b2',
    ]);
  });

  it('when a replica restarts with the same instance id, then the old one is fenced for good and told once', async () => {
    const things = await topic('restart');
    const transactionalId = replicaTransactionalId(uniqueName('tx-ingest'), 'pod-0');
    const onFenced = jest.fn();
    const zombie = await TransactionalPublisher.create({ kafka, codec, transactionalId, onFenced });
    const successor = await TransactionalPublisher.create({ kafka, codec, transactionalId });
    try {
      await expect(zombie.publishAtomically([rec(things, 'z')])).rejects.toMatchObject({
        code: 'KAFKA_PRODUCER_FENCED',
        retriable: false,
      });
      await expect(zombie.publishAtomically([rec(things, 'z2')])).rejects.toMatchObject({
        code: 'KAFKA_PRODUCER_FENCED',
      });
      await expect(zombie.check()).rejects.toMatchObject({ code: 'KAFKA_PRODUCER_FENCED' });
      expect(onFenced).toHaveBeenCalledTimes(1);
      expect(zombie.health()).toMatchObject({ state: 'fenced', generation: 1 });
      await successor.publishAtomically([rec(things, 's')]);
    } finally {
      await zombie.close();
      await successor.close();
    }
    expect((await readTopic(kafka, things.topic)).map((m) => m.key?.toString())).toEqual(['s']);
  });
});
