import {
  contractFor,
  CURAGENESIS_ENTITIES,
  TOPICS,
  type Checkpoint,
  type Entity,
  type SyncEvent,
  type SyncRequested,
} from '@tributary/contracts';
import { TransactionalPublisher } from '@tributary/kafka';
import {
  connectPlatform,
  runCommandConsumer, kafkaAnswers,
  withContracts,
  type RunningService,
  type ServiceContext,
} from '@tributary/service';
import {
  RateBudget,
  readCheckpoints,
  runSync,
  SourceClient,
  type AtomicPublisher,
  type EntityFetcher,
} from '@tributary/sync';
import type { IngestCuragenesisConfig } from './config';
import { ordersFetcher } from './data-access/orders-fetcher';
import { practicesFetcher } from './data-access/practices-fetcher';
import { decideRun, knownSyncIds, lastStartFromCheckpoints } from './domain/interval-gate';
import { planOrders, planPractices } from './domain/requests';

/**
 * ingest-curagenesis: consumes CuraGenesis sync commands and runs them one at a time, practices then
 * orders, with the machinery shared with RepCard (libs/sync): each page goes to Kafka with its
 * checkpoint in one transaction, lifecycle events on sync.events, one entity failing does not stop the
 * other, and a redelivered command resumes from its checkpoints. At most one sync per
 * CURAGENESIS_MIN_SYNC_INTERVAL_MS unless forced; a command inside the interval publishes SyncSkipped.
 */
export async function startIngestCuragenesis({
  config,
  logger,
  metrics,
}: ServiceContext<IngestCuragenesisConfig>): Promise<RunningService> {
  const { kafka, codec } = await connectPlatform({
    brokers: config.KAFKA_BROKERS,
    registryUrl: config.SCHEMA_REGISTRY_URL,
    clientId: 'ingest-curagenesis',
    logger,
  });
  const checkpoints: Map<string, Checkpoint> = await readCheckpoints(
    kafka,
    'curagenesis',
    (buf) => codec.decode(buf, contractFor(TOPICS.checkpoints)) as Promise<Checkpoint>,
  );
  let lastStartedAt = lastStartFromCheckpoints(checkpoints.values());
  logger.info('service.started', `read ${checkpoints.size} CuraGenesis checkpoints`, {
    lastStartedAt: lastStartedAt?.toISOString() ?? null,
  });
  const producer = await TransactionalPublisher.create({
    kafka,
    transactionalId: config.INGEST_CURAGENESIS_TRANSACTIONAL_ID,
    codec,
    logger,
    metrics,
  });
  const publisher: AtomicPublisher = {
    publishAtomically: (records) => producer.publishAtomically(withContracts(records)),
  };
  const client = new SourceClient({
    source: 'curagenesis',
    baseUrl: config.CURAGENESIS_API_URL,
    headers: { [config.CURAGENESIS_AUTH_HEADER]: config.CURAGENESIS_API_KEY, accept: 'application/json' },
    budget: new RateBudget({
      limit: config.CURAGENESIS_RATE_LIMIT,
      periodMs: config.CURAGENESIS_RATE_PERIOD_MS,
    }),
    timeoutMs: config.CURAGENESIS_TIMEOUT_MS,
    logger,
    metrics,
  });
  const abort = new AbortController();

  function fetcherFor(
    command: SyncRequested,
    entity: Entity,
    checkpoint: Checkpoint | undefined,
  ): EntityFetcher {
    const input = {
      command,
      highWaterMark: checkpoint?.highWaterMark ?? null,
      overlapMinutes: config.CURAGENESIS_OVERLAP_MINUTES,
      pageSize: config.CURAGENESIS_PAGE_SIZE,
    };
    if (entity === 'practices') return practicesFetcher(client, planPractices(input));
    return ordersFetcher({
      client,
      plan: planOrders(input),
      concurrency: config.CURAGENESIS_CONCURRENCY,
      batchSize: config.CURAGENESIS_ORDERS_BATCH,
    });
  }

  async function skip(command: SyncRequested, reason: string): Promise<void> {
    const skipped: SyncEvent = {
      type: 'SyncSkipped',
      version: 1,
      syncId: command.syncId,
      source: 'curagenesis',
      at: new Date().toISOString(),
      reason,
    };
    await publisher.publishAtomically([{ topic: TOPICS.syncEvents, key: command.syncId, value: skipped }]);
    logger.info('sync.skipped', `CuraGenesis sync ${command.syncId} skipped: ${reason}`, {
      syncId: command.syncId,
      trigger: command.trigger,
    });
    metrics
      .counter('tributary_sync_runs_total')
      .inc({ source: 'curagenesis', mode: command.mode, outcome: 'skipped' });
  }

  async function handle(command: SyncRequested): Promise<void> {
    const now = new Date();
    const decision = decideRun({
      command,
      now,
      minIntervalMs: config.CURAGENESIS_MIN_SYNC_INTERVAL_MS,
      lastStartedAt,
      knownSyncIds: knownSyncIds(checkpoints.values()),
    });
    if (!decision.run) return skip(command, decision.reason);
    if (decision.why !== 'resume') lastStartedAt = now;
    const wanted = command.entities.length ? command.entities : [...CURAGENESIS_ENTITIES];
    const entities = CURAGENESIS_ENTITIES.filter((e) => wanted.includes(e)) as Entity[];
    const started = performance.now();
    const result = await runSync({
      command,
      entities,
      checkpoints,
      publisher,
      signal: abort.signal,
      logger,
      fetcherFor: (entity, checkpoint) => fetcherFor(command, entity, checkpoint),
    });
    for (const r of result.entities)
      metrics
        .counter('tributary_sync_records_fetched_total')
        .inc({ source: 'curagenesis', entity: r.entity }, r.fetched);
    metrics.counter('tributary_sync_runs_total').inc({
      source: 'curagenesis',
      mode: command.mode,
      outcome: result.failedEntities.length ? 'failed' : 'completed',
    });
    metrics
      .histogram('tributary_sync_run_duration_seconds')
      .observe({ source: 'curagenesis', entity: 'all' }, (performance.now() - started) / 1000);
  }

  const consumer = await runCommandConsumer({
    kafka,
    codec,
    groupId: config.INGEST_CURAGENESIS_GROUP_ID,
    source: 'curagenesis',
    sessionTimeoutMs: config.INGEST_CURAGENESIS_SESSION_TIMEOUT_MS,
    logger,
    metrics,
    handle,
  });

  return {
    readiness: { kafka: () => kafkaAnswers(kafka) },
    async stop() {
      abort.abort(new Error('service stopping'));
      await consumer.stop();
      await producer.close();
      client.shutdown();
    },
  };
}
