import { createInterface } from 'node:readline/promises';
import { createPublisher, type Publisher } from '@tributary/kafka';
import { nullLogger } from '@tributary/observability';
import { connectPlatform } from '@tributary/service';
import { CliExit, EXIT } from '../exit-codes';

/** The reconcile command's idempotent publisher (KAFKA_BROKERS, SCHEMA_REGISTRY_URL), or exit 2. Close it. */
export async function reconcilePublisher(): Promise<Publisher> {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = process.env;
  if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL)
    throw new CliExit(
      EXIT.usage,
      'Kafka is not configured: run `npm run stack:up` first, or set KAFKA_BROKERS and SCHEMA_REGISTRY_URL',
    );
  const { kafka, codec } = await connectPlatform({
    brokers: KAFKA_BROKERS.split(','),
    registryUrl: SCHEMA_REGISTRY_URL,
    clientId: 'reconcile-cli',
    logger: nullLogger(),
  });
  return createPublisher({ kafka, codec });
}

/** Asks `question` on the terminal; true for y / yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
