import { type EntityOf, type Source } from '@tributary/contracts';
import { TransactionalPublisher } from '@tributary/kafka';
import {
  connectPlatform,
  failService,
  kafkaReadiness,
  replicaTransactionalIdOf,
  runCommandConsumer,
  type RunningService,
  type ServiceContext,
} from '@tributary/service';
import { CheckpointContract, SyncCancelRequestedContract, SyncRequestedContract } from '@tributary/contracts';
import { Cancellations } from './cancellations';
import { watchCancellations } from './cancel-watcher';
import { readCheckpoints } from './checkpoint-reader';
import { syncCommandHandler } from './command-handler';
import type { IngestDefinition } from './ingest-definition';
import { ingestSettings, type IngestConfig } from './ingest-settings';
import { commandPriority } from './budget/priority';
import { watchCommandsAhead } from './budget/command-lookahead';
import { runHintConsumer } from './hints/hint-consumer';
import { RateBudget } from './rate-budget';
import { SourceClient } from './source-client';

/**
 * Starts an ingest service from its definition. The path of one record:
 *
 *   sync command (runCommandConsumer) → cancelled? → gate → runSync (entities in order) → syncEntity (pages)
 *   → definition.fetcher → SourceClient (budget, retries, breaker) → API page
 *   → RecordObserved per record + checkpoint + EntityProgress → ONE Kafka transaction.
 *
 * Checkpoints are read from the compacted topic at start-up, so a redelivered command resumes where
 * its run stood. The command's offset is committed only after its run ends.
 */
export async function startIngest<S extends Source, C extends IngestConfig<S>>(
  definition: IngestDefinition<S, C>,
  { config, logger, metrics }: ServiceContext<C>,
): Promise<RunningService> {
  const { source, label } = definition;
  const settings = ingestSettings(source, config);
  const { kafka, codec } = await connectPlatform({
    brokers: settings.brokers,
    registryUrl: settings.registryUrl,
    clientId: settings.name,
    logger,
  });
  const checkpoints = await readCheckpoints(kafka, source, (buf) => codec.decode(buf, CheckpointContract));
  const gate = definition.gate?.(config, checkpoints);
  logger.info('service.started', `read ${checkpoints.size} ${label} checkpoints`, gate?.startupFields);
  // Per replica (ADR 0011): the configured id + this replica's instance id; a fencing is final (exit 1).
  const transactionalId = replicaTransactionalIdOf(settings.transactionalId, config);
  const publisher = await TransactionalPublisher.create({
    kafka,
    transactionalId,
    codec,
    logger,
    metrics,
    onFenced: failService(logger, `producer ${transactionalId} fenced`),
  });
  const client = new SourceClient({
    source,
    baseUrl: settings.api.baseUrl,
    headers: definition.headers(config),
    budget: new RateBudget({ limit: settings.api.rateLimit, periodMs: settings.api.ratePeriodMs }),
    timeoutMs: settings.api.timeoutMs,
    logger,
    metrics,
  });
  // Every cancel published so far is known before the first command is taken (ADR 0017).
  const cancellations = new Cancellations();
  const watcher = await watchCancellations({
    kafka,
    source,
    cancellations,
    decode: (buf) => codec.decode(buf, SyncCancelRequestedContract),
    logger,
  });
  let stopping = false;
  watcher.done.catch((err: unknown) => {
    if (!stopping) failService(logger, 'cancel watcher stopped')(err);
  });
  await watcher.ready;
  const abort = new AbortController();
  const handle = syncCommandHandler({
    source,
    label,
    publisher,
    checkpoints,
    gate,
    cancellations,
    concurrency: definition.concurrency?.(config),
    signal: abort.signal,
    logger,
    metrics,
    fetcherFor: (command, entity, checkpoint, now) =>
      definition.fetcher({
        config,
        client: client.withPriority(commandPriority(command)),
        command,
        entity: entity as EntityOf<S>,
        checkpoint,
        now,
      }),
  });
  const consumer = await runCommandConsumer({
    kafka,
    codec,
    groupId: settings.groupId,
    source,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    logger,
    metrics,
    handle,
  });

  // A command of a higher budget class published while a run is in progress starts beside it (ADR 0026).
  const lookahead = await watchCommandsAhead({
    kafka,
    source,
    decode: (buf) => codec.decode(buf, SyncRequestedContract),
    onCommand: (command) => handle.offer(command),
    logger,
  });
  lookahead.done.catch((err: unknown) => {
    if (!stopping) failService(logger, 'command look-ahead stopped')(err);
  });

  // Webhooks as hints: each record a delivery names is re-fetched first in the budget (ADR 0026).
  const hints = definition.hints?.(config) ?? null;
  const hintConsumer = hints
    ? await runHintConsumer({
        kafka,
        codec,
        groupId: `${settings.groupId}-hints`,
        source,
        definition: hints,
        client: client.withPriority('hint'),
        publisher,
        sessionTimeoutMs: settings.sessionTimeoutMs,
        logger,
        metrics,
      })
    : null;
  hintConsumer?.done.catch((err: unknown) => {
    if (!stopping) failService(logger, 'webhook hint consumer stopped')(err);
  });

  const readiness = kafkaReadiness({
    kafka,
    producers: [publisher],
    consumers: [consumer, watcher, lookahead, ...(hintConsumer ? [hintConsumer] : [])],
  });
  return {
    readiness: readiness.checks,
    async stop() {
      stopping = true;
      abort.abort(new Error('service stopping'));
      await consumer.stop();
      await watcher.stop();
      await lookahead.stop();
      await hintConsumer?.stop();
      await publisher.close();
      await readiness.close();
      client.shutdown();
    },
  };
}
