import { errorMessage } from '@tributary/core';
import { fetchAll } from './artifacts';
import { loadStackSettings } from './settings';
import { envFile, stackDown, stackStatus, stackUp } from './stack';
import { clusterDown, clusterEnvFile, clusterStatus, clusterUp, loadClusterSettings } from './cluster';

const USAGE = `usage: npm run stack:up | stack:down | stack:status   (or: tsx tools/stack/src/cli.ts fetch)

Starts Apache Kafka (KRaft), Apicurio Registry and PostgreSQL 15 as local processes.
Ports: STACK_KAFKA_PORT (9092), STACK_KAFKA_CONTROLLER_PORT (9093), STACK_REGISTRY_PORT (8081),
STACK_PG_PORT (55432). Data and logs: STACK_DIR (.stack). Set KAFKA_BROKERS, SCHEMA_REGISTRY_URL or
DATABASE_URL to use your own servers instead.

--cluster (or STACK_KAFKA_SASL=1): the secured cluster instead, in .stack/cluster (STACK_CLUSTER_DIR):
STACK_KAFKA_BROKERS (3) KRaft brokers, SASL_SSL on STACK_CLUSTER_KAFKA_PORT (19092) and up, a
self-signed CA made on first start, Apicurio in memory on 18081, PostgreSQL on 25632; env written to
.stack/cluster/env (it holds the SCRAM password: mode 600).`;

async function main(command: string | undefined, cluster: boolean): Promise<number> {
  const say = (line: string): void => console.log(`[stack] ${line}`);
  if (cluster) return clusterCommand(command, say);
  switch (command) {
    case 'up':
      await stackUp(say);
      return 0;
    case 'down':
      await stackDown(say);
      return 0;
    case 'status': {
      const s = loadStackSettings();
      const rows = stackStatus(s);
      for (const r of rows)
        console.log(`${r.name.padEnd(16)} ${(r.running ? 'running' : 'stopped').padEnd(8)} ${r.address}`);
      console.log(`env file         ${envFile(s)}`);
      return rows.every((r) => r.running) ? 0 : 3;
    }
    case 'fetch':
      fetchAll(loadStackSettings(), say);
      say('artifacts cached');
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

async function clusterCommand(command: string | undefined, say: (line: string) => void): Promise<number> {
  switch (command) {
    case 'up':
      await clusterUp(say);
      return 0;
    case 'down':
      await clusterDown(say);
      return 0;
    case 'status': {
      const rows = clusterStatus();
      for (const r of rows)
        console.log(`${r.name.padEnd(16)} ${(r.running ? 'running' : 'stopped').padEnd(8)} ${r.address}`);
      console.log(`env file         ${clusterEnvFile(loadClusterSettings())}`);
      return rows.every((r) => r.running) ? 0 : 3;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

const args = process.argv.slice(2);
const clusterMode = args.includes('--cluster') || process.env.STACK_KAFKA_SASL === '1';
main(
  args.find((a) => !a.startsWith('--')),
  clusterMode,
).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[stack] error: ${errorMessage(err)}`);
    process.exit(1);
  },
);
