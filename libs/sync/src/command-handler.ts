import {
  entitiesOf,
  requestedEntities,
  SYNC_MODES,
  type Checkpoint,
  type Entity,
  type Source,
  type SyncCancelRequested,
  type SyncRequested,
} from '@tributary/contracts';
import type { Logger, Metrics } from '@tributary/observability';
import { commandPriority, priorityRank } from './budget/priority';
import { pointBeforeStart, syncCancelledEvent } from './cancel-run';
import { runSignal, type Cancellations } from './cancellations';
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
  /** The cancels this replica knows of (ADR 0017): a cancelled command never runs, a running one stops. */
  cancellations?: Cancellations;
  concurrency?: number;
  signal?: AbortSignal;
  logger: Logger;
  metrics: Metrics;
  /** The clock (tests pass one). */
  now?: () => Date;
}

/**
 * What an ingest does with one sync command: a cancelled one only publishes SyncCancelled (ADR 0017);
 * otherwise ask the gate (a refusal publishes SyncSkipped), run the
 * command's entities (runSync), and count the run in the sync metrics: records as each page is
 * committed (so records/s moves during a run), each entity's duration, the run's outcome. Every label
 * set is created at 0 here, when the service starts, so that the first failure shows in `increase()`.
 */
/**
 * Handles commands in their order (`handle`, awaited by the command consumer), and may start one
 * early (`offer`, from the look-ahead reader): while a run is in progress here (so this replica owns
 * the source's commands), a command of a higher budget class (budget/priority.ts) starts beside it
 * at once, and its requests win the shared budget; when the consumer reaches that command, `handle`
 * waits for the early run instead of running it again (ADR 0026).
 */
export type SyncCommandHandler = ((command: SyncRequested) => Promise<void>) & {
  offer(command: SyncRequested): void;
};

export function syncCommandHandler(o: SyncCommandHandlerOptions): SyncCommandHandler {
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

  /** A command cancelled before it ran here: SyncCancelled, no SyncStarted, no request to the API. */
  async function cancelBeforeStart(command: SyncRequested, request: SyncCancelRequested): Promise<void> {
    const point = pointBeforeStart(command, o.checkpoints);
    await o.publisher.publishAtomically([
      syncEventRecord(syncCancelledEvent(command, request, point, clock())),
    ]);
    o.logger.info(
      'sync.cancelled',
      `${o.label} sync ${command.syncId} cancelled by ${request.requestedBy} before it ran`,
      { syncId: command.syncId, fetched: point.fetched, cancelledBy: request.requestedBy },
    );
    metrics.counter('tributary_sync_runs_total').inc({ source, mode: command.mode, outcome: 'cancelled' });
  }

  /** The command the consumer is running now (its budget class), and the commands started early. */
  let current: { syncId: string; rank: number } | null = null;
  const early = new Map<string, Promise<void>>();

  function offer(command: SyncRequested): void {
    if (!current || command.syncId === current.syncId || early.has(command.syncId)) return;
    const priority = commandPriority(command);
    if (priorityRank(priority) >= current.rank) return;
    o.logger.info(
      'sync.preempted',
      `${o.label} ${priority} sync ${command.syncId} starts beside the running ${current.syncId}`,
      { syncId: command.syncId, running: current.syncId, priority },
    );
    const run = execute(command);
    run.catch(() => undefined); // awaited by handle() when the consumer reaches the command
    early.set(command.syncId, run);
  }

  async function handle(command: SyncRequested): Promise<void> {
    const started = early.get(command.syncId);
    if (started) {
      try {
        return await started;
      } finally {
        early.delete(command.syncId);
      }
    }
    current = { syncId: command.syncId, rank: priorityRank(commandPriority(command)) };
    try {
      await execute(command);
    } finally {
      current = null;
    }
  }

  return Object.assign(handle, { offer });

  async function execute(command: SyncRequested): Promise<void> {
    const cancelled = o.cancellations?.get(command.syncId);
    if (cancelled) return cancelBeforeStart(command, cancelled);
    const now = clock();
    const decision = o.gate?.admit(command, now) ?? { run: true };
    if (!decision.run) return skip(command, decision.reason);
    const run = runSignal(command.syncId, o.signal, o.cancellations);
    const result = await runSync({
      command,
      entities: requestedEntities(source, command.entities) as Entity[],
      checkpoints: o.checkpoints,
      publisher: o.publisher,
      concurrency: o.concurrency,
      signal: run.signal,
      logger: o.logger,
      fetcherFor: (entity, checkpoint) => o.fetcherFor(command, entity, checkpoint, now),
      onPage: (p) =>
        metrics.counter('tributary_sync_records_fetched_total').inc({ source, entity: p.entity }, p.records),
      onEntity: (e) =>
        metrics
          .histogram('tributary_sync_run_duration_seconds')
          .observe({ source, entity: e.entity }, e.seconds),
    }).finally(run.release);
    const outcome =
      result.cancelledBy !== undefined ? 'cancelled' : result.failedEntities.length ? 'failed' : 'completed';
    metrics.counter('tributary_sync_runs_total').inc({ source, mode: command.mode, outcome });
  }
}
