import { contractFor, REPCARD_ENTITIES, TOPICS, type Entity, type RepcardEntity, type SyncRequested } from '@tributary/contracts';
import { TransactionalPublisher } from '@tributary/kafka';
import { connectPlatform, runCommandConsumer, kafkaAnswers, withContracts, type RunningService, type ServiceContext } from '@tributary/service';
import { RateBudget, readCheckpoints, runSync, SourceClient, type AtomicPublisher } from '@tributary/sync';
import type { Checkpoint } from '@tributary/contracts';
import type { IngestRepcardConfig } from './config';
import { repcardFetcher } from './data-access/repcard-fetcher';
import { planRequests } from './domain/requests';

/**
 * ingest-repcard: consumes RepCard sync commands and runs them, one at a time, in the document's
 * entity order. Each page of records goes to Kafka with its checkpoint in one transaction; a run
 * interrupted anywhere resumes from the checkpoint when its command is redelivered.
 */
export async function startIngestRepcard({ config, logger, metrics }: ServiceContext<IngestRepcardConfig>): Promise<RunningService> {
  const { kafka, codec } = await connectPlatform({ brokers: config.KAFKA_BROKERS, registryUrl: config.SCHEMA_REGISTRY_URL, clientId: 'ingest-repcard', logger });
  const checkpoints: Map<string, Checkpoint> = await readCheckpoints(kafka, 'repcard', (buf) => codec.decode(buf, contractFor(TOPICS.checkpoints)) as Promise<Checkpoint>);
  logger.info('service.started', `read ${checkpoints.size} RepCard checkpoints`);
  const producer = await TransactionalPublisher.create({ kafka, transactionalId: config.INGEST_REPCARD_TRANSACTIONAL_ID, codec, logger, metrics });
  const publisher: AtomicPublisher = { publishAtomically: (records) => producer.publishAtomically(withContracts(records)) };
  const budget = new RateBudget({ limit: config.REPCARD_RATE_LIMIT, periodMs: config.REPCARD_RATE_PERIOD_MS });
  const client = new SourceClient({
    source: 'repcard',
    baseUrl: config.REPCARD_API_URL,
    headers: { 'x-api-key': config.REPCARD_API_KEY, accept: 'application/json', ...(config.REPCARD_USER_TIMEZONE ? { UserTimeZone: config.REPCARD_USER_TIMEZONE } : {}) },
    budget,
    timeoutMs: config.REPCARD_TIMEOUT_MS,
    logger,
    metrics,
  });
  const abort = new AbortController();

  async function handle(command: SyncRequested): Promise<void> {
    const now = new Date();
    const wanted = command.entities.length ? command.entities : [...REPCARD_ENTITIES];
    const entities = REPCARD_ENTITIES.filter((e) => wanted.includes(e)) as Entity[];
    const started = performance.now();
    const result = await runSync({
      command,
      entities,
      checkpoints,
      publisher,
      concurrency: config.REPCARD_CONCURRENCY,
      signal: abort.signal,
      logger,
      fetcherFor: (entity, checkpoint) =>
        repcardFetcher(
          client,
          planRequests({
            entity: entity as RepcardEntity,
            command,
            highWaterMark: checkpoint?.highWaterMark ?? null,
            now,
            historyStart: config.REPCARD_HISTORY_START,
            overlapDays: config.REPCARD_OVERLAP_DAYS,
            perPage: config.REPCARD_PER_PAGE,
          }),
        ),
      onPage: (p) => metrics.counter('tributary_sync_records_fetched_total').inc({ source: 'repcard', entity: p.entity }, 0),
    });
    for (const r of result.entities) metrics.counter('tributary_sync_records_fetched_total').inc({ source: 'repcard', entity: r.entity }, r.fetched);
    metrics.counter('tributary_sync_runs_total').inc({ source: 'repcard', mode: command.mode, outcome: result.failedEntities.length ? 'failed' : 'completed' });
    metrics.histogram('tributary_sync_run_duration_seconds').observe({ source: 'repcard', entity: 'all' }, (performance.now() - started) / 1000);
  }

  const consumer = await runCommandConsumer({
    kafka,
    codec,
    groupId: config.INGEST_REPCARD_GROUP_ID,
    source: 'repcard',
    sessionTimeoutMs: config.INGEST_REPCARD_SESSION_TIMEOUT_MS,
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
