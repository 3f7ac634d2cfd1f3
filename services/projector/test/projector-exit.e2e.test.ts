import type { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { contractFor, TOPIC_NAMESPACE, TOPICS, type RecordObserved } from '@tributary/contracts';
import { createKafka, createPublisher, SchemaCodec, type ContractLike } from '@tributary/kafka';
import {
  createTestDatabase,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@tributary/testkit';

/**
 * The projector as a process (ADR 0010): a failure that is neither transient nor a record's own
 * (here: a read-model table that is gone, SQLSTATE 42P01) stops its consumer, and the process must
 * exit non-zero so that a supervisor sees it (it used to exit 0).
 */
describe('projector process', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let projector: ServiceProcess | undefined;
  const namespace = `${uniqueName('e2e-exit')}.`;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_exit');
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: uniqueName('e2e-exit') });
  });
  afterAll(async () => {
    await projector?.kill9().catch(() => undefined);
    await waitFor(
      () =>
        db.drop().then(
          () => true,
          () => false,
        ),
      { timeoutMs: 30_000, description: `drop ${db.name}` },
    );
  });

  it('when the consumer stops on a fatal PostgreSQL error, then the process exits with code 1', async () => {
    projector = startServiceProcess('projector', {
      TRIBUTARY_TOPIC_NAMESPACE: namespace,
      DATABASE_URL: db.url,
    });
    await projector.ready(60_000);
    const pool = new Pool({ connectionString: db.url, max: 1 });
    await pool.query('DROP TABLE repcard_offices CASCADE');
    await pool.end();

    const real = contractFor(TOPICS.repcardOffices) as ContractLike<RecordObserved>;
    const topic = `${namespace}${TOPICS.repcardOffices.slice(TOPIC_NAMESPACE.length)}`;
    const contract: ContractLike<RecordObserved> = { ...real, topic, subject: `${topic}-value` };
    const publisher = await createPublisher({
      kafka,
      codec: new SchemaCodec({ url: process.env.SCHEMA_REGISTRY_URL! }),
    });
    try {
      await publisher.publish([
        {
          contract,
          key: '1',
          value: {
            type: 'RecordObserved',
            version: 2,
            eventId: '00000000-0000-4000-8000-00000000e001',
            source: 'repcard',
            entity: 'offices',
            id: '1',
            payload: { id: 1, officeName: 'HQ' },
            observedAt: '2025-03-01T00:00:00Z',
            sourceUpdatedAt: null,
            syncId: null,
            origin: 'poll',
            deliveryId: null,
          },
        },
      ]);
    } finally {
      await publisher.close();
    }

    const code = await Promise.race([
      projector.exited,
      new Promise<'running'>((r) => setTimeout(() => r('running'), 60_000)),
    ]);
    expect(code).toBe(1);
    expect(projector.lines.join('\n')).toMatch(/kafka\.consumer\.failed/);
  });
});
