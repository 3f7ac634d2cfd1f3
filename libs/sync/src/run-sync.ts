import {
  checkpointKey,
  TOPICS,
  type Checkpoint,
  type Entity,
  type Source,
  type SyncEvent,
  type SyncRequested,
} from '@tributary/contracts';
import { errorMessage, TributaryError } from '@tributary/core';
import type { Logger } from '@tributary/observability';
import { syncEntity, type AtomicPublisher, type EntityFetcher, type EntitySyncResult } from './entity-sync';

export interface RunSyncInput {
  command: SyncRequested;
  /** The entities to sync, in order (skip flags already applied). */
  entities: readonly Entity[];
  fetcherFor(entity: Entity, checkpoint: Checkpoint | undefined): EntityFetcher;
  publisher: AtomicPublisher;
  checkpoints: Map<string, Checkpoint>;
  concurrency?: number;
  now?: () => Date;
  signal?: AbortSignal;
  logger?: Logger;
  onPage?: (p: { entity: string; pages: number; totalPages: number | null; fetched: number }) => void;
}

export interface RunSyncResult {
  syncId: string;
  entities: (EntitySyncResult | { entity: string; error: string; fetched: number })[];
  failedEntities: string[];
  fetched: number;
}

/**
 * One sync run: the entities in order, each isolated (one failing is recorded with its error and the
 * others go on), lifecycle events on sync.events. Re-running the same command (same syncId) after a
 * crash resumes: finished entities are skipped, the running one continues at its checkpoint.
 */
export async function runSync(input: RunSyncInput): Promise<RunSyncResult> {
  const { command, publisher, checkpoints, logger } = input;
  const now = input.now ?? (() => new Date());
  const source = command.source as Source;
  const event = (e: SyncEvent) => ({ topic: TOPICS.syncEvents, key: command.syncId, value: e });
  const startedAt = now();
  await publisher.publishAtomically([
    event({ type: 'SyncStarted', version: 1, syncId: command.syncId, source, at: startedAt.toISOString(), mode: command.mode, entities: [...input.entities], trigger: command.trigger } as SyncEvent),
  ]);
  logger?.info('sync.started', `${source} ${command.mode} sync ${command.syncId}`, { entities: input.entities });
  const results: RunSyncResult['entities'] = [];
  const failed: string[] = [];
  for (const entity of input.entities) {
    const key = checkpointKey(source, entity);
    const checkpoint = checkpoints.get(key);
    const resuming = checkpoint?.fullSync?.syncId === command.syncId;
    if (!resuming || !checkpoint?.fullSync?.completed) {
      await publisher.publishAtomically([event({ type: 'EntityStarted', version: 1, syncId: command.syncId, source, at: now().toISOString(), entity } as SyncEvent)]);
    }
    try {
      const result = await syncEntity({
        source,
        entity,
        syncId: command.syncId,
        fetcher: input.fetcherFor(entity, checkpoint),
        publisher,
        checkpoint,
        fallbackHighWaterMark: startedAt.toISOString(),
        concurrency: input.concurrency,
        now,
        signal: input.signal,
        onPage: input.onPage,
      });
      checkpoints.set(key, result.checkpoint);
      results.push(result);
      logger?.info('sync.entity.completed', `${source} ${entity}: ${result.fetched} fetched in ${result.pages} pages`, {
        syncId: command.syncId, entity, fetched: result.fetched, resumedFromPage: result.resumedFromPage, skipped: result.skipped,
      });
    } catch (err) {
      if (input.signal?.aborted) throw err;
      if (err instanceof TributaryError && (err.code === 'KAFKA_FENCED' || err.code === 'KAFKA_PRODUCER_FENCED')) throw err;
      const message = errorMessage(err);
      const fetched = checkpoints.get(key)?.fullSync?.fetched ?? 0;
      failed.push(entity);
      results.push({ entity, error: message, fetched });
      logger?.error('sync.entity.failed', `${source} ${entity} failed: ${message}`, { syncId: command.syncId, entity, error: err });
      await publisher.publishAtomically([
        event({ type: 'EntityFailed', version: 1, syncId: command.syncId, source, at: now().toISOString(), entity, fetched, error: message.slice(0, 2000) } as SyncEvent),
      ]);
    }
  }
  const fetched = results.reduce((n, r) => n + r.fetched, 0);
  await publisher.publishAtomically([
    event({ type: 'SyncCompleted', version: 1, syncId: command.syncId, source, at: now().toISOString(), fetched, failedEntities: failed } as SyncEvent),
  ]);
  logger?.info('sync.completed', `${source} sync ${command.syncId}: ${fetched} fetched, ${failed.length} entities failed`, { failed });
  return { syncId: command.syncId, entities: results, failedEntities: failed, fetched };
}
