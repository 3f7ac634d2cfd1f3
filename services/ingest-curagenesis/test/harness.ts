import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { SyncRequestedContract, TOPICS, type SyncRequested } from '@tributary/contracts';
import { createPublisher, type Publisher } from '@tributary/kafka';
import { createMetrics, nullLogger } from '@tributary/observability';
import { connectPlatform, type RunningService } from '@tributary/service';
import { newSyncCommand } from '@tributary/sync';
import {
  createTestDatabase,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@tributary/testkit';
import { createCuragenesisSimulator, type CuragenesisSimulator } from '../../../tools/sim-curagenesis/src';
import { projectedTopics, startProjector } from '../../projector/src/app';
import { projectorConfigSchema } from '../../projector/src/config';
import { startIngestCuragenesis } from '../src/app';
import { ingestCuragenesisConfigSchema } from '../src/config';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * One CuraGenesis pipeline inside the test process: the simulator on port 0, a fresh database, and
 * the projector and ingest-curagenesis started through their exported start functions with their own
 * consumer groups and transactional id. The topics are the cluster's real (shared) ones, so both
 * groups start at the current end of their topics, and everything is looked up by syncId.
 */
export interface Pipeline {
  sim: CuragenesisSimulator;
  simUrl: string;
  db: TestDatabase;
  pool: Pool;
  kafka: Kafka;
  env: Record<string, string>;
  request(input: { mode?: SyncRequested['mode']; force?: boolean }): Promise<SyncRequested>;
  waitForRun(syncId: string, timeoutMs?: number): Promise<{ status: string; error_message: string | null }>;
  /** With `ingest: 'process'`: the running ingest-curagenesis process (for kill -9). */
  ingestProcess(): ServiceProcess;
  /** With `ingest: 'process'`: starts a new ingest-curagenesis process (after a kill) and waits until ready. */
  restartIngest(): Promise<ServiceProcess>;
  close(): Promise<void>;
}

export interface PipelineOptions {
  /** Run ingest-curagenesis in this process (default) or as a real process that can be killed. */
  ingest?: 'in-process' | 'process';
}

export type SimOptions = Parameters<typeof createCuragenesisSimulator>[0];

/**
 * Commits the current end of every partition of `topics` for a group that has not joined yet, with
 * one short-lived member (admin.setOffsets would join the group once per topic).
 */
async function startGroupAtEnd(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, { partition: number; high: string }[]>();
  try {
    for (const topic of topics) ends.set(topic, await admin.fetchTopicOffsets(topic));
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer
        .run({ autoCommit: true, eachBatchAutoResolve: false, eachBatch: async () => undefined })
        .catch(reject);
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const [topic, partitions] of ends)
        for (const p of partitions) consumer.seek({ topic, partition: p.partition, offset: p.high });
    });
  } finally {
    await consumer.stop();
    await consumer.disconnect();
  }
  const check = kafka.admin();
  await check.connect();
  try {
    const committed = await check.fetchOffsets({ groupId, topics: [...topics] });
    const missing = committed.flatMap((t) =>
      t.partitions.filter((p) => p.offset === '-1').map((p) => `${t.topic}[${p.partition}]`),
    );
    if (missing.length) throw new Error(`group ${groupId} has no committed offset for ${missing.join(', ')}`);
  } finally {
    await check.disconnect();
  }
}

export async function startPipeline(
  simOptions: SimOptions,
  ingestEnv: Record<string, string> = {},
  options: PipelineOptions = {},
): Promise<Pipeline> {
  const brokers = process.env.KAFKA_BROKERS!;
  const registry = process.env.SCHEMA_REGISTRY_URL!;
  // The simulator's clock is now, so its mutation times and our run start times compare.
  const sim = createCuragenesisSimulator({ now: new Date(), ...simOptions });
  const { url } = await sim.start(0);
  const db = await createTestDatabase('cgsync');
  const { kafka, codec } = await connectPlatform({
    brokers: brokers.split(','),
    registryUrl: registry,
    clientId: 'cg-test',
    logger: nullLogger(),
  });
  const projectorGroup = uniqueName('cg-projector');
  const ingestGroup = uniqueName('cg-ingest');
  await Promise.all([
    startGroupAtEnd(kafka, projectorGroup, projectedTopics()),
    startGroupAtEnd(kafka, ingestGroup, [TOPICS.syncCommands]),
  ]);

  const projector: RunningService = await startProjector({
    config: projectorConfigSchema.parse({
      KAFKA_BROKERS: brokers,
      SCHEMA_REGISTRY_URL: registry,
      DATABASE_URL: db.url,
      PROJECTOR_GROUP_ID: projectorGroup,
    }),
    logger: nullLogger(),
    metrics: createMetrics('projector'),
  });
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers,
    SCHEMA_REGISTRY_URL: registry,
    DATABASE_URL: db.url,
    CURAGENESIS_API_URL: url,
    CURAGENESIS_API_KEY: 'sim-curagenesis-key',
    CURAGENESIS_RATE_LIMIT: '100000',
    CURAGENESIS_CONCURRENCY: '8',
    INGEST_CURAGENESIS_GROUP_ID: ingestGroup,
    INGEST_CURAGENESIS_TRANSACTIONAL_ID: uniqueName('cg-ingest-tx'),
    ...ingestEnv,
  };
  let ingest: RunningService | undefined;
  let ingestProcess: ServiceProcess | undefined;
  const startProcess = async (): Promise<ServiceProcess> => {
    const child = startServiceProcess('ingest-curagenesis', env);
    ingestProcess = child;
    await child.ready();
    return child;
  };
  if (options.ingest === 'process') await startProcess();
  else
    ingest = await startIngestCuragenesis({
      config: ingestCuragenesisConfigSchema.parse(env),
      logger: nullLogger(),
      metrics: createMetrics('ingest-curagenesis'),
    });
  const publisher: Publisher = await createPublisher({ kafka, codec });
  const pool = new Pool({ connectionString: db.url, max: 2 });

  return {
    sim,
    simUrl: url,
    db,
    pool,
    kafka,
    env,
    async request({ mode = 'full', force = false }) {
      const command = newSyncCommand({
        source: 'curagenesis',
        mode,
        trigger: 'manual',
        requestedBy: 'int-test',
        entities: ['practices', 'orders'],
        force,
      });
      await publisher.publish([{ contract: SyncRequestedContract, key: 'curagenesis', value: command }]);
      return command;
    },
    waitForRun(syncId, timeoutMs = 170_000) {
      return waitFor(
        async () => {
          const res = await pool.query<{ status: string; error_message: string | null }>(
            'SELECT status, error_message FROM sync_runs WHERE sync_id = $1',
            [syncId],
          );
          const run = res.rows[0];
          return run && run.status !== 'running' ? run : undefined;
        },
        { timeoutMs, intervalMs: 250, description: `sync run ${syncId} to finish` },
      );
    },
    ingestProcess() {
      if (!ingestProcess)
        throw new Error('ingest-curagenesis runs in this process: start the pipeline with ingest: "process"');
      return ingestProcess;
    },
    restartIngest: startProcess,
    async close() {
      await ingest?.stop();
      await ingestProcess?.stop();
      await projector.stop();
      await publisher.close();
      await pool.end();
      await sim.stop();
      await db.drop();
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run sync:curagenesis -- <args>` (the CLI entry) against the pipeline's servers and database. */
export function runCli(p: Pipeline, args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), 'tools/cli/src/sync-curagenesis.ts', ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          KAFKA_BROKERS: p.env.KAFKA_BROKERS,
          SCHEMA_REGISTRY_URL: p.env.SCHEMA_REGISTRY_URL,
          DATABASE_URL: p.env.DATABASE_URL,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
