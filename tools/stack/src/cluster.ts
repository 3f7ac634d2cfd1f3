import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createKafka } from '@tributary/kafka';
import { ensureApicurio, ensureKafkaLibs } from './artifacts';
import { ensureClusterSecrets, type ClusterSecrets } from './cluster-certs';
import { newClusterId } from './kafka';
import { databaseUrl, ensurePostgres, stopPostgres } from './postgres';
import { checkPrerequisites } from './prereqs';
import { isAlive, readPid, run, startDetached, stopPid, waitUntil } from './proc';
import { loadStackSettings, type StackSettings } from './settings';

type Say = (line: string) => void;

/**
 * The secured cluster (`stack up --cluster`): three Kafka 3.9 brokers in KRaft combined mode (each
 * broker and controller, a quorum of three) whose one listener for clients and brokers is SASL_SSL
 * (SCRAM-SHA-256/512 and PLAIN over TLS with a self-signed CA), the controller listener plaintext on
 * loopback; Apicurio with in-memory storage (schemas are registered again by every service at
 * start-up); its own PostgreSQL. Its own stack dir (`.stack/cluster`) and ports, so the shared
 * single-broker stack is untouched. Internal topics RF 3, min ISR 2.
 */
export interface ClusterSettings extends StackSettings {
  brokers: number;
  /** Client port of broker i (1-based) is kafkaPort + i - 1; controller port kafkaControllerPort + i - 1. */
}

export function loadClusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const base = loadStackSettings({
    ...env,
    STACK_DIR: env.STACK_CLUSTER_DIR || join(loadStackSettings(env).root, '.stack', 'cluster'),
    STACK_KAFKA_PORT: env.STACK_CLUSTER_KAFKA_PORT || '19092',
    STACK_KAFKA_CONTROLLER_PORT: env.STACK_CLUSTER_CONTROLLER_PORT || '19192',
    STACK_REGISTRY_PORT: env.STACK_CLUSTER_REGISTRY_PORT || '18081',
    STACK_PG_PORT: env.STACK_CLUSTER_PG_PORT || '25632',
    STACK_KAFKA_HEAP: env.STACK_CLUSTER_KAFKA_HEAP || '512m',
    // The cluster never adopts the shared stack's servers.
    KAFKA_BROKERS: '',
    SCHEMA_REGISTRY_URL: '',
    DATABASE_URL: '',
  });
  // The shared cache (Maven downloads) is reused.
  const shared = loadStackSettings({ ...env, KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '', DATABASE_URL: '' });
  return { ...base, cacheDir: shared.cacheDir, brokers: Number(env.STACK_KAFKA_BROKERS || 3) };
}

export const brokerIds = (s: ClusterSettings): number[] => Array.from({ length: s.brokers }, (_, i) => i + 1);
export const clientPort = (s: ClusterSettings, id: number): number => s.kafkaPort + id - 1;
const controllerPort = (s: ClusterSettings, id: number): number => s.kafkaControllerPort + id - 1;
export const clusterBrokers = (s: ClusterSettings): string =>
  brokerIds(s)
    .map((id) => `127.0.0.1:${clientPort(s, id)}`)
    .join(',');

function brokerPaths(s: ClusterSettings, id: number) {
  const dir = join(s.stackDir, `kafka-${id}`);
  return {
    dir,
    dataDir: join(dir, 'data'),
    config: join(dir, 'server.properties'),
    pidFile: join(dir, 'kafka.pid'),
    logFile: join(s.logDir, `kafka-${id}.log`),
  };
}

function writeBrokerConfig(s: ClusterSettings, id: number, sec: ClusterSecrets): void {
  const p = brokerPaths(s, id);
  const voters = brokerIds(s)
    .map((v) => `${v}@127.0.0.1:${controllerPort(s, v)}`)
    .join(',');
  const jaas = (module: string, extra = '') =>
    `${module} required username="admin" password="${sec.adminPassword}"${extra};`;
  const replicas = Math.min(3, s.brokers);
  const minIsr = Math.max(1, Math.min(2, replicas - 1));
  writeFileSync(
    p.config,
    [
      'process.roles=broker,controller',
      `node.id=${id}`,
      `controller.quorum.voters=${voters}`,
      `listeners=SASL_SSL://127.0.0.1:${clientPort(s, id)},CONTROLLER://127.0.0.1:${controllerPort(s, id)}`,
      `advertised.listeners=SASL_SSL://127.0.0.1:${clientPort(s, id)}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=SASL_SSL',
      'sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN',
      // PLAIN between brokers (over TLS): its credentials are in this file, so brokers never wait for SCRAM metadata.
      'sasl.mechanism.inter.broker.protocol=PLAIN',
      `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${jaas('org.apache.kafka.common.security.scram.ScramLoginModule')}`,
      `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${jaas('org.apache.kafka.common.security.scram.ScramLoginModule')}`,
      `listener.name.sasl_ssl.plain.sasl.jaas.config=${jaas('org.apache.kafka.common.security.plain.PlainLoginModule', ` user_admin="${sec.adminPassword}" user_${sec.clientUser}="${sec.clientPassword}"`)}`,
      'ssl.keystore.type=PKCS12',
      `ssl.keystore.location=${sec.keystore}`,
      `ssl.keystore.password=${sec.storePassword}`,
      `ssl.key.password=${sec.storePassword}`,
      'ssl.truststore.type=PKCS12',
      `ssl.truststore.location=${sec.truststore}`,
      `ssl.truststore.password=${sec.storePassword}`,
      'ssl.client.auth=none',
      `log.dirs=${p.dataDir}`,
      'num.partitions=3',
      `default.replication.factor=${replicas}`,
      `min.insync.replicas=${minIsr}`,
      `offsets.topic.replication.factor=${replicas}`,
      'offsets.topic.num.partitions=10',
      `transaction.state.log.replication.factor=${replicas}`,
      `transaction.state.log.min.isr=${minIsr}`,
      'transaction.state.log.num.partitions=10',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      'unclean.leader.election.enable=false',
      'log.segment.bytes=268435456',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  writeFileSync(
    join(p.dir, 'log4j.properties'),
    [
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.request.logger=WARN',
      'log4j.logger.state.change.logger=WARN',
      '',
    ].join('\n'),
  );
}

/** Client settings of the cluster, as the services read them (the env file). */
export function clusterClientEnv(s: ClusterSettings, sec: ClusterSecrets): Record<string, string> {
  return {
    KAFKA_BROKERS: clusterBrokers(s),
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: sec.clientUser,
    KAFKA_SASL_PASSWORD: sec.clientPassword,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: sec.caPem,
    KAFKA_TOPIC_REPLICATION_FACTOR: String(Math.min(3, s.brokers)),
    KAFKA_TOPIC_MIN_INSYNC_REPLICAS: String(Math.max(1, Math.min(2, Math.min(3, s.brokers) - 1))),
    SCHEMA_REGISTRY_URL: `http://127.0.0.1:${s.registryPort}/apis/ccompat/v7`,
    DATABASE_URL: databaseUrl(s),
  };
}

function kafkaClient(
  s: ClusterSettings,
  sec: ClusterSecrets,
  brokers = clusterBrokers(s),
  mechanism: 'plain' | 'scram-sha-512' = 'plain',
): ReturnType<typeof createKafka> {
  return createKafka({
    clientId: 'stack-probe',
    brokers: brokers.split(','),
    ssl: { ca: [readFileSync(sec.caPem, 'utf8')] },
    sasl:
      mechanism === 'plain'
        ? { mechanism, username: sec.clientUser, password: sec.clientPassword }
        : { mechanism, username: sec.clientUser, password: sec.clientPassword },
    retry: { retries: 0 },
  });
}

/** True when broker `id` answers an authenticated metadata request (or, without id, the cluster has all its brokers). */
async function answers(
  s: ClusterSettings,
  sec: ClusterSecrets,
  id?: number,
  mechanism: 'plain' | 'scram-sha-512' = 'plain',
): Promise<boolean> {
  const admin = kafkaClient(
    s,
    sec,
    id === undefined ? undefined : `127.0.0.1:${clientPort(s, id)}`,
    mechanism,
  ).admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    return id !== undefined || brokers.length === s.brokers;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function brokerPid(s: ClusterSettings, id: number): number | undefined {
  const pid = readPid(brokerPaths(s, id).pidFile);
  return isAlive(pid) ? pid : undefined;
}

/** Formats broker `id`'s storage on first start (one cluster id for all), with the SCRAM users in its bootstrap. */
function formatBroker(s: ClusterSettings, id: number, sec: ClusterSecrets, say: Say): void {
  const p = brokerPaths(s, id);
  mkdirSync(p.dataDir, { recursive: true });
  writeBrokerConfig(s, id, sec);
  if (existsSync(join(p.dataDir, 'meta.properties'))) return;
  const idFile = join(s.stackDir, 'cluster.id');
  const cid = existsSync(idFile) ? readFileSync(idFile, 'utf8').trim() : newClusterId();
  writeFileSync(idFile, cid);
  say(`formatting broker ${id} (cluster ${cid})`);
  run('java', [
    '-cp',
    `${ensureKafkaLibs(s, say)}/*`,
    `-Dlog4j.configuration=file:${join(p.dir, 'log4j.properties')}`,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    cid,
    '-c',
    p.config,
    '--add-scram',
    `SCRAM-SHA-512=[name=${sec.clientUser},password=${sec.clientPassword}]`,
    '--add-scram',
    `SCRAM-SHA-256=[name=${sec.clientUser},password=${sec.clientPassword}]`,
  ]);
}

/** Starts broker `id` (formatted already, see clusterUp) unless it runs; does not wait. */
export function startBroker(s: ClusterSettings, id: number, say: Say = () => undefined): boolean {
  const sec = ensureClusterSecrets(s.stackDir, say);
  if (brokerPid(s, id) !== undefined) return false;
  formatBroker(s, id, sec, say);
  const p = brokerPaths(s, id);
  const log4j = `-Dlog4j.configuration=file:${join(p.dir, 'log4j.properties')}`;
  startDetached(
    'java',
    [
      '-Xms128m',
      `-Xmx${s.kafkaHeap}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      log4j,
      '-cp',
      `${ensureKafkaLibs(s, say)}/*`,
      'kafka.Kafka',
      p.config,
    ],
    {
      cwd: p.dir,
      logFile: p.logFile,
      pidFile: p.pidFile,
    },
  );
  return true;
}

/**
 * Makes sure the services' user can log in with SCRAM: when it cannot (the first election of a new
 * quorum can leave metadata.version at 3.0 and the bootstrap's SCRAM users behind), ClusterAdmin.java
 * raises metadata.version and creates the credentials, over PLAIN as the brokers' admin.
 */
async function ensureScram(s: ClusterSettings, sec: ClusterSecrets, say: Say): Promise<void> {
  if (await answers(s, sec, undefined, 'scram-sha-512')) return;
  const props = join(sec.dir, 'admin.properties');
  writeFileSync(
    props,
    [
      `bootstrap.servers=${clusterBrokers(s)}`,
      'security.protocol=SASL_SSL',
      'sasl.mechanism=PLAIN',
      `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${sec.adminPassword}";`,
      'ssl.truststore.type=PKCS12',
      `ssl.truststore.location=${sec.truststore}`,
      `ssl.truststore.password=${sec.storePassword}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  say('creating the SCRAM credentials through the admin API');
  const out = run(
    'java',
    [
      '-cp',
      `${ensureKafkaLibs(s, say)}/*`,
      '-Dlog4j.configuration=file:/dev/null',
      join(__dirname, 'ClusterAdmin.java'),
      props,
      sec.clientUser,
    ],
    {
      env: { ...process.env, SCRAM_PASSWORD: sec.clientPassword },
    },
  );
  for (const line of out.trim().split('\n').filter(Boolean)) say(line);
  await waitUntil('SCRAM login', () => answers(s, sec, undefined, 'scram-sha-512'), { timeoutMs: 60_000 });
}

/** Waits until broker `id` answers on its SASL_SSL listener. */
export async function waitForBroker(s: ClusterSettings, id: number, timeoutMs = 300_000): Promise<void> {
  const sec = ensureClusterSecrets(s.stackDir, () => undefined);
  await waitUntil(`Kafka broker ${id}`, () => answers(s, sec, id), {
    timeoutMs,
    logFile: brokerPaths(s, id).logFile,
    pid: brokerPid(s, id),
  });
}

/** kill -9 of broker `id` (no shutdown: its leaderships move when the controller notices). */
export function killBroker(s: ClusterSettings, id: number): number | undefined {
  const pid = brokerPid(s, id);
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
  return pid;
}

function registryPaths(s: ClusterSettings) {
  const dir = join(s.stackDir, 'registry');
  return { dir, pidFile: join(dir, 'registry.pid'), logFile: join(s.logDir, 'registry.log') };
}

async function ensureMemRegistry(s: ClusterSettings, say: Say): Promise<boolean> {
  const p = registryPaths(s);
  const url = `http://127.0.0.1:${s.registryPort}/apis/ccompat/v7`;
  const probe = async () => (await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) })).ok;
  if (isAlive(readPid(p.pidFile))) return false;
  const jar = ensureApicurio(s, say);
  mkdirSync(p.dir, { recursive: true });
  // No storage settings: Apicurio 3 keeps its schemas in an in-memory H2 database.
  const pid = startDetached('java', [`-Xmx${s.registryHeap}`, '-XX:+UseSerialGC', '-jar', jar], {
    cwd: p.dir,
    env: { ...process.env, QUARKUS_HTTP_PORT: String(s.registryPort), QUARKUS_HTTP_HOST: '127.0.0.1' },
    logFile: p.logFile,
    pidFile: p.pidFile,
  });
  await waitUntil('schema registry', probe, { timeoutMs: 120_000, logFile: p.logFile, pid });
  return true;
}

export function clusterEnvFile(s: ClusterSettings): string {
  return join(s.stackDir, 'env');
}

/** Starts what is not running, waits for a full quorum, writes `<cluster dir>/env` (mode 600: it holds the SCRAM password). */
export async function clusterUp(
  say: Say,
  s: ClusterSettings = loadClusterSettings(),
): Promise<Record<string, string>> {
  const t0 = Date.now();
  checkPrerequisites(s, { kafka: true, registry: true, postgres: true }, say);
  mkdirSync(s.logDir, { recursive: true });
  const sec = ensureClusterSecrets(s.stackDir, say);
  await ensurePostgres(s, say);
  // Every broker formatted before any starts: the quorum's first election then has all three voters.
  for (const id of brokerIds(s)) formatBroker(s, id, sec, say);
  const started = brokerIds(s).filter((id) => startBroker(s, id, say));
  await ensureMemRegistry(s, say);
  await waitUntil(`the ${s.brokers}-broker quorum`, () => answers(s, sec), {
    timeoutMs: 180_000,
    logFile: brokerPaths(s, 1).logFile,
  });
  await ensureScram(s, sec, say);
  const env = clusterClientEnv(s, sec);
  const lines = Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`);
  writeFileSync(
    clusterEnvFile(s),
    `# written by stack up --cluster (SASL_SSL, ${s.brokers} brokers); values already set in the environment win\n${lines.join('\n')}\n`,
    { mode: 0o600 },
  );
  say(
    `cluster of ${s.brokers} brokers up (${started.length ? `started ${started.join(', ')}` : 'already running'}) in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${env.KAFKA_BROKERS}, SASL_SSL; env in ${clusterEnvFile(s)}`,
  );
  return env;
}

export async function clusterDown(say: Say, s: ClusterSettings = loadClusterSettings()): Promise<void> {
  say(
    `schema registry  ${(await stopPid(registryPaths(s).pidFile, 30_000)) ? 'stopped' : 'was not running'}`,
  );
  await Promise.all(
    brokerIds(s).map(async (id) =>
      say(
        `kafka ${id}          ${(await stopPid(brokerPaths(s, id).pidFile, 60_000)) ? 'stopped' : 'was not running'}`,
      ),
    ),
  );
  say(`postgres         ${stopPostgres(s) ? 'stopped' : 'was not running'}`);
}

export function clusterStatus(
  s: ClusterSettings = loadClusterSettings(),
): { name: string; running: boolean; address: string }[] {
  return [
    ...brokerIds(s).map((id) => ({
      name: `kafka ${id}`,
      running: brokerPid(s, id) !== undefined,
      address: `SASL_SSL 127.0.0.1:${clientPort(s, id)}`,
    })),
    {
      name: 'schema registry',
      running: isAlive(readPid(registryPaths(s).pidFile)),
      address: `http://127.0.0.1:${s.registryPort}`,
    },
  ];
}

export const resolveClusterDir = (s: ClusterSettings): string => resolve(s.stackDir);
