import {
  entitiesOf,
  requestedEntities,
  SYNC_MODES,
  type Checkpoint,
  type Entity,
  type Source,
  type SyncRequested,
} from '@tributary/contracts';
import type { Logger, Metrics } from '@tributary/observability';
import type { EntityFetcher } from './fetchers';
import type { RunGate } from './ingest-definition';
import { syncEventRecord, type AtomicPublisher } from './outgoing';
import { runSync } from './run-sync';

export interface SyncCommandHandlerOptions {
  source: Source;
  /** The source as logs name it (`RepCard`). */
  label: string;
  publisher: AtomicPublisher;
  /** Latest checkpoint per `source/entity` (read at start-up, kept current by runSync). */
  checkpoints: Map<string, Checkpoint>;
  /** How to read `entity` in the run of `command` started at `now`. */
  fetcherFor(
    command: SyncRequested,
    entity: Entity,
    checkpoint: Checkpoint | undefined,
    now: Date,
  ): EntityFetcher;
  gate?: RunGate;
  concurrency?: number;
  signal?: AbortSignal;
  logger: Logger;
  metrics: Metrics;
  /** The clock (tests pass one). */
  now?: () => Date;
}

/**
 * What an ingest does with one sync command: ask the gate (a refusal publishes SyncSkipped), run the
 * command's entities (runSync), and count the run in the sync metrics: records as each page is
 * committed (so records/s moves during a run), each entity's duration, the run's outcome. Every label
 * set is created at 0 here, when the service starts, so that the first failure shows in `increase()`.
 */
export function syncCommandHandler(o: SyncCommandHandlerOptions): (command: SyncRequested) => Promise<void> {
  const clock = o.now ?? (() => new Date());
  const { source, metrics } = o;
  metrics.preset('tributary_sync_runs_total', { source, mode: SYNC_MODES });
  metrics.preset('tributary_sync_records_fetched_total', { source, entity: entitiesOf(source) });
  metrics.preset('tributary_sync_run_duration_seconds', { source, entity: entitiesOf(source) });
  metrics.preset('tributary_source_api_throttled_total', { source });

  async function skip(command: SyncRequested, reason: string): Promise<void> {
    await o.publisher.publishAtomically([
      syncEventRecord({
        type: 'SyncSkipped',
        version: 1,
        syncId: command.syncId,
        source,
        at: clock().toISOString(),
        reason,
      }),
    ]);
    o.logger.info('sync.skipped', `${o.label} sync ${command.syncId} skipped: ${reason}`, {
      syncId: command.syncId,
      trigger: command.trigger,
    });
    metrics.counter('tributary_sync_runs_total').inc({ source, mode: command.mode, outcome: 'skipped' });
  }

  return async function handle(command: SyncRequested): Promise<void> {
    const now = clock();
    const decision = o.gate?.admit(command, now) ?? { run: true };
    if (!decision.run) return skip(command, decision.reason);
    const result = await runSync({
      command,
      entities: requestedEntities(source, command.entities) as Entity[],
      checkpoints: o.checkpoints,
      publisher: o.publisher,
      concurrency: o.concurrency,
      signal: o.signal,
      logger: o.logger,
      fetcherFor: (entity, checkpoint) => o.fetcherFor(command, entity, checkpoint, now),
      onPage: (p) =>
        metrics.counter('tributary_sync_records_fetched_total').inc({ source, entity: p.entity }, p.records),
      onEntity: (e) =>
        metrics
          .histogram('tributary_sync_run_duration_seconds')
          .observe({ source, entity: e.entity }, e.seconds),
    });
    metrics
      .counter('tributary_sync_runs_total')
      .inc({ source, mode: command.mode, outcome: result.failedEntities.length ? 'failed' : 'completed' });
  };
}
