import {
  checkpointKey,
  type Checkpoint,
  type Entity,
  type Source,
  type SyncCancelRequested,
  type SyncRequested,
} from '@tributary/contracts';
import { errorMessage, TributaryError } from '@tributary/core';
import type { Logger } from '@tributary/observability';
import { isSyncCancelled } from './cancellations';
import { syncCancelledEvent, type CancelPoint } from './cancel-run';
import { syncEntity, type EntitySyncResult, type PageProgress } from './entity-sync';
import type { EntityFetcher } from './fetchers';
import { syncEventRecord, type AtomicPublisher } from './outgoing';

export interface RunSyncInput {
  command: SyncRequested;
  /** The entities to sync, in order (skip flags already applied). */
  entities: readonly Entity[];
  /** How to read an entity in this run (its request plan follows from the command and its checkpoint). */
  fetcherFor(entity: Entity, checkpoint: Checkpoint | undefined): EntityFetcher;
  publisher: AtomicPublisher;
  /** Latest checkpoint per `source/entity`; updated as entities complete. */
  checkpoints: Map<string, Checkpoint>;
  concurrency?: number;
  now?: () => Date;
  signal?: AbortSignal;
  logger?: Logger;
  onPage?: (p: PageProgress) => void;
  /** After each entity synced (not one a resumed run had finished) or failed: how long it took. */
  onEntity?: (e: { entity: string; seconds: number; failed: boolean }) => void;
}

export type EntityFailure = { entity: string; error: string; fetched: number };

export interface RunSyncResult {
  syncId: string;
  entities: (EntitySyncResult | EntityFailure)[];
  failedEntities: string[];
  fetched: number;
  /** Who cancelled the run, when it was cancelled (ADR 0017); its entities so far are in `entities`. */
  cancelledBy?: string;
}

/**
 * One sync run: the entities in order, each isolated (one failing is recorded with its error and the
 * others go on), lifecycle events on sync.events. Re-running the same command (same syncId) after a
 * crash resumes: finished entities are skipped, the running one continues at its checkpoint. An abort
 * or a fenced producer ends the run at once (the command is redelivered to whoever owns it now),
 * except a cancel (the signal aborted with SyncCancelledError): the run stops at its page boundary,
 * publishes SyncCancelled with its counts so far and returns, so the command is committed (ADR 0017).
 */
export async function runSync(input: RunSyncInput): Promise<RunSyncResult> {
  const { command, publisher, checkpoints, logger } = input;
  const { syncId } = command;
  const now = input.now ?? (() => new Date());
  const source = command.source as Source;
  const startedAt = now();
  await publisher.publishAtomically([
    syncEventRecord({
      type: 'SyncStarted',
      version: 1,
      syncId,
      source,
      at: startedAt.toISOString(),
      mode: command.mode,
      entities: [...input.entities],
      trigger: command.trigger,
    }),
  ]);
  logger?.info('sync.started', `${source} ${command.mode} sync ${syncId}`, { entities: input.entities });
  const results: RunSyncResult['entities'] = [];
  const failed: string[] = [];
  // A cancel (the signal aborted with SyncCancelledError) ends the run at a page boundary (ADR 0017).
  const cancel = () => (isSyncCancelled(input.signal?.reason) ? input.signal.reason.request : null);
  let stopped: { at: CancelPoint; by: SyncCancelRequested } | null = null;
  const progress = new Map<string, number>();
  const onPage = (p: PageProgress) => {
    progress.set(p.entity, p.fetched);
    input.onPage?.(p);
  };
  for (const entity of input.entities) {
    const cancelledBefore = cancel();
    if (cancelledBefore) {
      stopped = { at: { fetched: 0, entity: null, started: true }, by: cancelledBefore };
      break;
    }
    const key = checkpointKey(source, entity);
    const checkpoint = checkpoints.get(key);
    const resuming = checkpoint?.fullSync?.syncId === syncId;
    if (!resuming || !checkpoint?.fullSync?.completed) {
      await publisher.publishAtomically([
        syncEventRecord({
          type: 'EntityStarted',
          version: 1,
          syncId,
          source,
          at: now().toISOString(),
          entity,
        }),
      ]);
    }
    const entityStarted = performance.now();
    const took = () => (performance.now() - entityStarted) / 1000;
    try {
      const result = await syncEntity({
        source,
        entity,
        syncId,
        fetcher: input.fetcherFor(entity, checkpoint),
        publisher,
        checkpoint,
        fallbackHighWaterMark: startedAt.toISOString(),
        concurrency: input.concurrency,
        now,
        signal: input.signal,
        onPage,
        wholeEntity: command.mode === 'full' && command.window.from === null && command.window.to === null,
        latestHighWaterMark: () => checkpoints.get(key)?.highWaterMark ?? null,
      });
      checkpoints.set(key, result.checkpoint);
      results.push(result);
      if (!result.skipped) input.onEntity?.({ entity, seconds: took(), failed: false });
      logger?.info(
        'sync.entity.completed',
        `${source} ${entity}: ${result.fetched} fetched in ${result.pages} pages`,
        {
          syncId,
          entity,
          fetched: result.fetched,
          resumedFromPage: result.resumedFromPage,
          skipped: result.skipped,
        },
      );
    } catch (err) {
      const cancelledNow = cancel();
      if (cancelledNow) {
        stopped = { at: { fetched: progress.get(entity) ?? 0, entity, started: true }, by: cancelledNow };
        break;
      }
      if (input.signal?.aborted) {
        // Stopped between pages: every page so far went out with its checkpoint in one transaction,
        // and the command is not committed, so the next start runs it again from that checkpoint.
        logger?.info(
          'sync.interrupted',
          `${source} ${entity}: stopped with the service at a page boundary; resumes on the next start`,
          {
            syncId,
            entity,
          },
        );
        throw err;
      }
      if (isFenced(err)) throw err;
      const message = errorMessage(err);
      // What its committed pages fetched (the checkpoint map only moves when an entity completes).
      const fetched = Math.max(progress.get(entity) ?? 0, checkpoints.get(key)?.fullSync?.fetched ?? 0);
      failed.push(entity);
      results.push({ entity, error: message, fetched });
      input.onEntity?.({ entity, seconds: took(), failed: true });
      logger?.error('sync.entity.failed', `${source} ${entity} failed: ${message}`, {
        syncId,
        entity,
        error: err,
      });
      await publisher.publishAtomically([
        syncEventRecord({
          type: 'EntityFailed',
          version: 1,
          syncId,
          source,
          at: now().toISOString(),
          entity,
          fetched,
          error: message.slice(0, 2000),
        }),
      ]);
    }
  }
  const fetched = results.reduce((n, r) => n + r.fetched, 0);
  if (stopped) {
    const at = { ...stopped.at, fetched: fetched + stopped.at.fetched };
    const by = stopped.by.requestedBy;
    await publisher.publishAtomically([syncEventRecord(syncCancelledEvent(command, stopped.by, at, now()))]);
    logger?.info(
      'sync.cancelled',
      `${source} sync ${syncId} cancelled by ${by}: ${at.fetched} fetched${at.entity ? `, stopped in ${at.entity}` : ''}`,
      { syncId, entity: at.entity, fetched: at.fetched, cancelledBy: by },
    );
    return { syncId, entities: results, failedEntities: failed, fetched: at.fetched, cancelledBy: by };
  }
  await publisher.publishAtomically([
    syncEventRecord({
      type: 'SyncCompleted',
      version: 1,
      syncId,
      source,
      at: now().toISOString(),
      fetched,
      failedEntities: failed,
    }),
  ]);
  logger?.info(
    'sync.completed',
    `${source} sync ${syncId}: ${fetched} fetched, ${failed.length} entities failed`,
    { failed },
  );
  return { syncId, entities: results, failedEntities: failed, fetched };
}

/** Nothing more may be published: another instance took over the transactional id (final). */
function isFenced(err: unknown): boolean {
  return err instanceof TributaryError && err.code === 'KAFKA_PRODUCER_FENCED';
}
