import { join } from 'node:path';
import { Pool } from 'pg';
import { REPCARD_ENTITIES, subjectOf, SyncRequestedContract } from '@tributary/contracts';
import { createKafka, createPublisher, SchemaCodec } from '@tributary/kafka';
import { newSyncCommand } from '@tributary/sync';
import {
  createTestDatabase,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@tributary/testkit';
import {
  createRepcardSimulator,
  type RepcardSimulator,
  type RepcardSimulatorOptions,
} from '../../sim-repcard/src';
import {
  createCuragenesisSimulator,
  DEFAULT_API_KEY,
  type CuragenesisSimulator,
  type SimulatorOptions,
} from '../../sim-curagenesis/src';
import { supervise, type Supervised } from './supervised';
import { webhookSecret } from './webhook-traffic';

export type ServiceName =
  'projector' | 'ingest-repcard' | 'ingest-curagenesis' | 'webhook-gateway' | 'scheduler';

/**
 * One isolated Tributary for a chaos case: its own topic namespace and database, a RepCard
 * simulator on a free port, and the services as supervised processes (a crash or a kill -9 is
 * followed by a restart, as under `npm start` or Kubernetes).
 */
export interface ChaosPipeline {
  namespace: string;
  db: TestDatabase;
  pool: Pool;
  sim: RepcardSimulator;
  /** The CuraGenesis API simulator, when the case asked for one. */
  cura?: CuragenesisSimulator;
  env: NodeJS.ProcessEnv;
  webhookSecret: string;
  services: Map<string, Supervised>;
  /** Starts a supervised service (`as` names a second replica). */
  start(
    name: ServiceName,
    options?: { as?: string; env?: NodeJS.ProcessEnv; waitReady?: boolean },
  ): Promise<Supervised>;
  service(name: string): Supervised;
  /** The gateway's public base URL (its current incarnation). */
  gatewayUrl(): Promise<string>;
  close(): Promise<void>;
}

/** The port a service logged in its `service.started` line under `field`. */
async function loggedPort(p: ServiceProcess, field: string): Promise<number> {
  await p.port();
  for (const l of p.lines) {
    if (!l.includes('"service.started"')) continue;
    const port = (JSON.parse(l) as Record<string, unknown>)[field];
    if (typeof port === 'number') return port;
  }
  throw new Error(`${p.name} logged no ${field}`);
}

async function readyOn(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`/readyz answered ${res.status}`);
}

export async function startChaosPipeline(
  simOptions: RepcardSimulatorOptions,
  options: {
    say?: (line: string) => void;
    env?: NodeJS.ProcessEnv;
    curagenesis?: SimulatorOptions;
    logDir?: string;
  } = {},
): Promise<ChaosPipeline> {
  const namespace = `${uniqueName('chaos')}.`;
  const db = await createTestDatabase('chaos');
  const sim = createRepcardSimulator({ now: new Date(), ...simOptions });
  const { url } = await sim.start();
  const cura = options.curagenesis ? createCuragenesisSimulator(options.curagenesis) : undefined;
  const curaUrl = cura ? (await cura.start()).url : undefined;
  const secret = webhookSecret();
  const env: NodeJS.ProcessEnv = {
    TRIBUTARY_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: db.url,
    REPCARD_API_URL: url,
    REPCARD_API_KEY: sim.config.apiKey,
    REPCARD_RATE_LIMIT: String(simOptions.rateLimit ?? 100),
    REPCARD_RATE_PERIOD_MS: String(simOptions.ratePeriodMs ?? 60_000),
    CURAGENESIS_WEBHOOK_SECRET: secret,
    INTERNAL_PORT: '0',
    SCHEDULE_ENABLED: 'false',
    ADMIN_PASSWORD: 'chaos-admin-password-0123',
    LOG_LEVEL: 'info',
    // The simulators answer on plain http: allowed for source clients in tests (libs/sync source-url-policy).
    NODE_ENV: 'test',
    ...(curaUrl ? { CURAGENESIS_API_URL: curaUrl, CURAGENESIS_API_KEY: DEFAULT_API_KEY } : {}),
    ...options.env,
  };
  const services = new Map<string, Supervised>();
  const pool = new Pool({ connectionString: db.url, max: 2 });
  // PostgreSQL is restarted and stopped on purpose: an idle client's lost connection is expected.
  pool.on('error', () => undefined);
  const p: ChaosPipeline = {
    namespace,
    db,
    pool,
    sim,
    ...(cura ? { cura } : {}),
    env,
    webhookSecret: secret,
    services,
    async start(name, startOptions = {}) {
      const as = startOptions.as ?? name;
      const s = supervise(
        name,
        { ...env, TRIBUTARY_INSTANCE_ID: as, ...startOptions.env },
        {
          say: options.say,
          ...(options.logDir ? { logFile: join(options.logDir, `${namespace.slice(0, -1)}-${as}.log`) } : {}),
          ...(name === 'webhook-gateway'
            ? { ready: async (proc) => readyOn(await loggedPort(proc, 'internalPort')) }
            : {}),
        },
      );
      services.set(as, s);
      if (startOptions.waitReady !== false) await s.ready();
      return s;
    },
    service(name) {
      const s = services.get(name);
      if (!s) throw new Error(`no service ${name} in this pipeline`);
      return s;
    },
    async gatewayUrl() {
      const proc = p.service('webhook-gateway').current();
      return `http://127.0.0.1:${await proc.port()}`;
    },
    async close() {
      await Promise.all([...services.values()].map((s) => s.stop().catch(() => undefined)));
      await p.pool.end().catch(() => undefined);
      await sim.stop();
      await cura?.stop();
      await waitFor(
        () =>
          db.drop().then(
            () => true,
            () => false,
          ),
        { timeoutMs: 60_000, description: `drop ${db.name}` },
      ).catch(() => undefined);
    },
  };
  return p;
}

/**
 * Publishes a sync command as the CLI does (`sync:<source> --no-wait`: the same command, the same
 * contract, on the pipeline's namespaced topic) and returns its syncId; the case then watches the
 * read model itself. In-process: a CLI process costs seconds to start on a busy machine.
 */
export async function requestSync(
  p: Pick<ChaosPipeline, 'namespace'>,
  source: 'repcard' | 'curagenesis',
  options: { mode?: 'full' | 'incremental'; entities?: string[] } = {},
): Promise<string> {
  const command = newSyncCommand({
    source,
    mode: options.mode ?? 'full',
    entities: (options.entities ??
      (source === 'repcard' ? [...REPCARD_ENTITIES] : ['practices', 'orders'])) as never,
    trigger: 'cli',
    requestedBy: 'chaos',
    force: true,
  });
  const topic = `${p.namespace}${SyncRequestedContract.topic}`;
  const contract = { ...SyncRequestedContract, topic, subject: subjectOf(topic) };
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: `${p.namespace}chaos-cli`,
  });
  const codec = new SchemaCodec({ url: process.env.SCHEMA_REGISTRY_URL! });
  const publisher = await createPublisher({ kafka, codec });
  try {
    await publisher.publish([{ contract, key: source, value: command }]);
  } finally {
    await publisher.close();
    codec.close();
  }
  return command.syncId;
}
