import { createKafka } from '@tributary/kafka';
import { uniqueName, waitFor } from '@tributary/testkit';
import { runCli, startPipeline, syncIdOf, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

/**
 * Deletion detection and lineage through the real pipeline (ADR 0018): simulator → ingest-repcard →
 * Kafka → projector → PostgreSQL, driven by the CLI. Records removed at the simulator are marked
 * deleted by the next complete full sync, within the guard; beyond it nothing is marked and the run
 * says why; an incremental sync never marks; each row points to the Kafka record that wrote it.
 */
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ seed: 23, size: 2_000, rateLimit: 100_000, ratePeriodMs: 60_000 });
});
afterAll(async () => {
  await p?.close();
});

async function sync(args: string[]): Promise<string> {
  const res = await runCli(p, args);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return syncIdOf(res.stdout);
}

const customerIds = (indices: number[]) => indices.map((i) => p.sim.dataset.idOf('customers', i) as number);

async function deletedCustomers(): Promise<{ id: number; by: string }[]> {
  const res = await p.pool.query(
    `SELECT repcard_customer_id::int AS id, deleted_by_sync_id AS by FROM repcard_customers
     WHERE deleted_at IS NOT NULL ORDER BY 1`,
  );
  return res.rows;
}

async function customersLog(syncId: string) {
  const res = await p.pool.query(
    `SELECT records_deleted, deletion_note FROM sync_log WHERE sync_id = $1 AND entity_type = 'customers'`,
    [syncId],
  );
  return res.rows[0];
}

/** The key of the Kafka record at `topic` / `partition` / `offset`. */
async function keyAt(topic: string, partition: number, offset: string): Promise<string> {
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: uniqueName('lineage'),
  });
  const consumer = kafka.consumer({ groupId: uniqueName('lineage-reader'), maxWaitTimeInMs: 100 });
  let key: string | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition: part, message }) => {
        if (part === partition && message.offset === offset) key = message.key?.toString();
      },
    });
    consumer.seek({ topic, partition, offset });
    await waitFor(() => key !== undefined, {
      timeoutMs: 30_000,
      description: `${topic}[${partition}]@${offset}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return key!;
}

it('when customers are removed at the source, then the next complete full sync marks them deleted, the live view leaves them out, and the run says how many', async () => {
  await sync([]);
  const total = p.sim.dataset.count('customers');
  const gone = customerIds([5, 6]);
  p.sim.mutate({ entity: 'customers', removeIds: gone });

  const incremental = await sync(['--incremental']);
  expect(await deletedCustomers()).toEqual([]);
  expect((await customersLog(incremental)).records_deleted).toBeNull();

  const full = await sync([]);
  expect(await deletedCustomers()).toEqual(gone.map((id) => ({ id, by: full })));
  const live = await p.pool.query('SELECT count(*)::int AS n FROM repcard_customers_live');
  expect(live.rows[0].n).toBe(total - 2);
  expect(await customersLog(full)).toMatchObject({ records_deleted: 2 });
});

it('when more customers are removed than the guard allows, then the full sync marks nothing and its log says why', async () => {
  const live = p.sim.dataset.count('customers');
  const many = Array.from({ length: Math.ceil(live * 0.2) }, (_, i) => 100 + i);
  p.sim.mutate({ entity: 'customers', remove: many });

  const full = await sync([]);
  expect((await deletedCustomers()).length).toBe(2);
  const log = await customersLog(full);
  expect(log.records_deleted).toBeNull();
  expect(log.deletion_note).toMatch(/above the deletion guard of 5%/);
});

it('when a row is read, then its lineage names the Kafka record that wrote it', async () => {
  const row = await p.pool.query(
    `SELECT repcard_customer_id::text AS id, _source_topic, _source_partition, _source_offset::text, _observed_via, _observed_at
     FROM repcard_customers WHERE deleted_at IS NULL ORDER BY repcard_customer_id LIMIT 1`,
  );
  const r = row.rows[0];
  expect(r._source_topic).toBe(`${p.namespace}repcard.customers.v1`);
  expect(r._observed_via).toBe('poll');
  expect(r._observed_at).toBeInstanceOf(Date);
  expect(await keyAt(r._source_topic, r._source_partition, r._source_offset)).toBe(r.id);
});
