import { TOPIC_NAMESPACE } from '@tributary/contracts';
import { TransactionalPublisher } from '@tributary/kafka';
import { nullLogger } from '@tributary/observability';
import { connectPlatform } from '@tributary/service';

/**
 * The stack's Kafka and schema registry (KAFKA_BROKERS, SCHEMA_REGISTRY_URL) and a transactional
 * publisher on them, its id `transactionalId` in the run's topic namespace.
 */
export async function benchPublisher(clientId: string, transactionalId: string) {
  const { kafka, codec } = await connectPlatform({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    registryUrl: process.env.SCHEMA_REGISTRY_URL!,
    clientId,
    logger: nullLogger(),
  });
  const producer = await TransactionalPublisher.create({
    kafka,
    transactionalId: `${TOPIC_NAMESPACE}${transactionalId}`,
    codec,
  });
  return { kafka, codec, producer };
}
