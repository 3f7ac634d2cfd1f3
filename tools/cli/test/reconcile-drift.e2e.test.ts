import { createKafka, SchemaCodec } from '@tributary/kafka';
import { TOPICS, contractFor, isRecordDeleted, type RecordDeleted } from '@tributary/contracts';
import { uniqueName, waitFor } from '@tributary/testkit';
import type { DriftReport } from '@tributary/sync';
import { runCli, runTributary, syncIdOf } from '../../../libs/testkit/src/repcard-pipeline';
import { repcardPipelineForFile } from '../../../libs/testkit/src/repcard-pipeline-for-file';

// Drift report and repair, and deletion events, against the real pipeline (simulator →
// ingest-repcard → Kafka → projector → PostgreSQL), ADR 0024: a record the source now answers in an
// older version than the stored one (a source restored from a backup) is kept by every sync, counted
// as drift by the full sync, reported by `reconcile --sample`, and written by `--repair`. A record
// removed at the source is marked deleted by the next complete full sync and announced on its topic.
const pipeline = repcardPipelineForFile(
  { seed: 424, size: 600, rateLimit: 100_000, ratePeriodMs: 60_000 },
  fullSync,
);

interface DriftAnswer {
  plan: { requests: number };
  drift: DriftReport;
  repair?: { published: number; report: DriftReport | null };
}

const tributary = (args: string[]) => runTributary(pipeline(), args);

async function fullSync(): Promise<string> {
  const res = await runCli(pipeline(), []);
  expect(res.code).toBe(0);
  return syncIdOf(res.stdout);
}

async function customerRow(id: number) {
  const res = await pipeline().pool.query(
    `SELECT raw_data, version_at, _observed_via AS via, deleted_at FROM repcard_customers WHERE repcard_customer_id = $1`,
    [id],
  );
  return res.rows[0] as {
    raw_data: Record<string, unknown>;
    version_at: Date;
    via: string;
    deleted_at: Date | null;
  };
}

it('when a planted drift (the source answers an older version than stored) meets a full sync, then the row is kept and the run counts it; reconcile --sample reports it and --repair writes the source answer', async () => {
  const id = pipeline().sim.dataset.idOf('customers', 7) as number;
  const now = Date.now();
  pipeline().sim.mutate({ entity: 'customers', updateIds: [id], at: new Date(now - 60_000) });
  await fullSync();
  const stored = await customerRow(id);

  // Restored from a backup: an older version with other content.
  pipeline().sim.mutate({ entity: 'customers', updateIds: [id], at: new Date(now - 3_600_000) });
  const full = await fullSync();
  expect((await customerRow(id)).raw_data).toEqual(stored.raw_data);
  const log = await pipeline().pool.query(
    `SELECT records_drifted FROM sync_log WHERE sync_id = $1 AND entity_type = 'customers'`,
    [full],
  );
  expect(log.rows[0].records_drifted).toBe(1);

  const size = String(pipeline().sim.dataset.count('customers') + 10);
  const sampleCustomers = (extra: string[]) =>
    tributary(['reconcile', 'repcard', '--sample', size, '--entities', 'customers', ...extra]);
  const dry = await sampleCustomers(['--dry-run']);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(
    /^repcard drift sample: \d+ records per entity\ncost: up to \d+ requests, about/,
  );

  const report = await sampleCustomers(['--json']);
  expect(report.code).toBe(3);
  const answer = JSON.parse(report.stdout) as DriftAnswer;
  expect(answer.drift.verdict).toBe('drift');
  expect(answer.drift.requests).toBe(answer.plan.requests);
  expect(answer.drift.drifted).toEqual([
    expect.objectContaining({ entity: 'customers', id: String(id), kind: 'differs', olderAtSource: true }),
  ]);
  const updatedAt = answer.drift.differences.find((d) => d.field === 'updatedAt');
  expect(updatedAt).toEqual({
    entity: 'customers',
    id: String(id),
    field: 'updatedAt',
    stored: stored.raw_data.updatedAt,
    source: expect.any(String),
  });

  const table = await sampleCustomers([]);
  expect(table.code).toBe(3);
  expect(table.stdout).toContain(`customers ${id}: differs (the source answers an older version)`);
  for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

  const repair = await sampleCustomers(['--repair', '--json']);
  expect(repair.code).toBe(0);
  const repaired = JSON.parse(repair.stdout) as DriftAnswer;
  expect(repaired.repair).toMatchObject({ published: 1, report: { verdict: 'clean' } });
  const row = await customerRow(id);
  expect(row.via).toBe('repair');
  expect(row.raw_data.updatedAt).toBe(updatedAt!.source);

  const again = await sampleCustomers(['--json']);
  expect(again.code).toBe(0);
  expect((JSON.parse(again.stdout) as DriftAnswer).drift.verdict).toBe('clean');
});

it('when a customer is removed at the source, then the next complete full sync marks it deleted and a RecordDeleted for it is published on the customers topic', async () => {
  const id = pipeline().sim.dataset.idOf('customers', 11) as number;
  pipeline().sim.mutate({ entity: 'customers', removeIds: [id] });
  const full = await fullSync();
  expect((await customerRow(id)).deleted_at).toBeInstanceOf(Date);

  const topic = `${pipeline().namespace}repcard.customers.v1`;
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: uniqueName('deletions'),
  });
  const codec = new SchemaCodec({ url: process.env.SCHEMA_REGISTRY_URL! });
  const consumer = kafka.consumer({ groupId: uniqueName('deletion-reader'), maxWaitTimeInMs: 100 });
  const seen: RecordDeleted[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        // The pipeline's topics are namespaced, this process's contracts are not: same contract.
        const value = await codec.decode(message.value, contractFor(TOPICS.repcardCustomers));
        if (isRecordDeleted(value)) seen.push(value);
      },
    });
    await waitFor(() => seen.length > 0, {
      timeoutMs: 60_000,
      description: 'a RecordDeleted on the customers topic',
    });
  } finally {
    await consumer.disconnect();
  }
  expect(seen).toEqual([
    expect.objectContaining({ type: 'RecordDeleted', id: String(id), syncId: full, entity: 'customers' }),
  ]);
  const outbox = await pipeline().pool.query(`SELECT count(*)::int AS n FROM projector_deletion_outbox`);
  expect(outbox.rows[0].n).toBe(0);
});
