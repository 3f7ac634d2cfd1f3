import { errorMessage } from '@tributary/core';
import { fetchAll } from './artifacts';
import { loadStackSettings } from './settings';
import { envFile, stackDown, stackStatus, stackUp } from './stack';

const USAGE = `usage: npm run stack:up | stack:down | stack:status   (or: tsx tools/stack/src/cli.ts fetch)

Starts Apache Kafka (KRaft), Apicurio Registry and PostgreSQL 15 as local processes.
Ports: STACK_KAFKA_PORT (9092), STACK_KAFKA_CONTROLLER_PORT (9093), STACK_REGISTRY_PORT (8081),
STACK_PG_PORT (55432). Data and logs: STACK_DIR (.stack). Set KAFKA_BROKERS, SCHEMA_REGISTRY_URL or
DATABASE_URL to use your own servers instead.`;

async function main(command: string | undefined): Promise<number> {
  const say = (line: string): void => console.log(`[stack] ${line}`);
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
      for (const r of rows) console.log(`${r.name.padEnd(16)} ${(r.running ? 'running' : 'stopped').padEnd(8)} ${r.address}`);
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

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[stack] error: ${errorMessage(err)}`);
    process.exit(1);
  },
);
