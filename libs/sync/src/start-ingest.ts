import { CheckpointContract } from '@tributary/contracts';
import { TransactionalPublisher } from '@tributary/kafka';
import { connectPlatform, kafkaAnswers, runCommandConsumer, type RunningService, type ServiceContext } from '@tributary/service';
import { readCheckpoints } from './checkpoint-reader';
import { syncCommandHandler } from './command-handler';
import type { IngestBaseConfig, IngestDefinition } from './ingest-definition';
import { RateBudget } from './rate-budget';
import { SourceClient } from './source-client';

/**
 * Starts an ingest service from its definition. The path of one record:
 *
 *   sync command (runCommandConsumer) → gate → runSync (entities in order) → syncEntity (pages)
 *   → definition.fetcher → SourceClient (budget, retries, breaker) → API page
 *   → RecordObserved per record + checkpoint + EntityProgress → ONE Kafka transaction.
 *
 * Checkpoints are read from the compacted topic at start-up, so a redelivered command resumes where
 * its run stood. The command's offset is committed only after its run ends.
 */
export async function startIngest<C extends IngestBaseConfig>(
  definition: IngestDefinition<C>,
  { config, logger, metrics }: ServiceContext<C>,
): Promise<RunningService> {
  const { name, source, label } = definition;
  const { kafka, codec } = await connectPlatform({ brokers: config.KAFKA_BROKERS, registryUrl: config.SCHEMA_REGISTRY_URL, clientId: name, logger });
  const checkpoints = await readCheckpoints(kafka, source, (buf) => codec.decode(buf, CheckpointContract));
  const gate = definition.gate?.(config, checkpoints);
  logger.info('service.started', `read ${checkpoints.size} ${label} checkpoints`, gate?.startupFields);
  const kafkaOptions = definition.kafka(config);
  const publisher = await TransactionalPublisher.create({ kafka, transactionalId: kafkaOptions.transactionalId, codec, logger, metrics });
  const api = definition.client(config);
  const client = new SourceClient({
    source,
    baseUrl: api.baseUrl,
    headers: api.headers,
    budget: new RateBudget({ limit: api.rateLimit, periodMs: api.ratePeriodMs }),
    timeoutMs: api.timeoutMs,
    logger,
    metrics,
  });
  const abort = new AbortController();
  const handle = syncCommandHandler({
    source,
    label,
    entities: definition.entities,
    publisher,
    checkpoints,
    gate,
    concurrency: definition.concurrency?.(config),
    signal: abort.signal,
    logger,
    metrics,
    fetcherFor: (command, entity, checkpoint, now) => definition.fetcher({ config, client, command, entity, checkpoint, now }),
  });
  const consumer = await runCommandConsumer({
    kafka,
    codec,
    groupId: kafkaOptions.groupId,
    source,
    sessionTimeoutMs: kafkaOptions.sessionTimeoutMs,
    logger,
    metrics,
    handle,
  });

  return {
    readiness: { kafka: () => kafkaAnswers(kafka) },
    async stop() {
      abort.abort(new Error('service stopping'));
      await consumer.stop();
      await publisher.close();
      client.shutdown();
    },
  };
}
