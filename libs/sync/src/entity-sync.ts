import { randomUUID } from 'node:crypto';
import {
  checkpointKey,
  CheckpointContract,
  entityTopic,
  recordId,
  recordUpdatedAt,
  RecordObservedContract,
  SyncEventContract,
  TOPICS,
  type Checkpoint,
  type Entity,
  type RecordObserved,
  type Source,
  type SyncEvent,
} from '@tributary/contracts';

/** One page as the API answered it. `totalPages` for page-numbered APIs, `nextCursor` for cursor APIs. */
export interface PageResult {
  records: unknown[];
  totalPages?: number | null;
  nextCursor?: string | null;
}

export type PagePosition = { page: number; cursor: string | null };

/** How to read one entity: page-numbered (RepCard) or cursor-paged (CuraGenesis). */
export interface EntityFetcher {
  paging: 'pages' | 'cursor';
  fetch(position: PagePosition, signal?: AbortSignal): Promise<PageResult>;
}

/** A record and its key, ready for a transaction. */
export interface OutgoingRecord {
  topic: string;
  key: string;
  value: unknown;
}

/** Publishes records atomically (one Kafka transaction). */
export interface AtomicPublisher {
  publishAtomically(records: OutgoingRecord[]): Promise<void>;
}

export interface EntitySyncInput {
  source: Source;
  entity: Entity;
  syncId: string;
  fetcher: EntityFetcher;
  publisher: AtomicPublisher;
  /** The entity's checkpoint before this run (from the compacted topic). */
  checkpoint: Checkpoint | undefined;
  /** High-water mark to record when no record carries a timestamp (the run's start). */
  fallbackHighWaterMark: string | null;
  /** Requests in flight at once (page-numbered APIs, once the page count is known). */
  concurrency?: number;
  now?: () => Date;
  signal?: AbortSignal;
  onPage?: (p: { entity: string; pages: number; totalPages: number | null; fetched: number }) => void;
}

export interface EntitySyncResult {
  entity: string;
  fetched: number;
  pages: number;
  malformed: number;
  highWaterMark: string | null;
  resumedFromPage: number | null;
  skipped: boolean;
  checkpoint: Checkpoint;
}

/**
 * Reads every page of one entity and publishes each page's records together with the checkpoint
 * (where the run stands) in ONE Kafka transaction, so a run killed at any point resumes at its last
 * committed page. The last transaction also carries the new high-water mark and EntityCompleted.
 */
export async function syncEntity(input: EntitySyncInput): Promise<EntitySyncResult> {
  const { source, entity, syncId, fetcher, publisher, signal } = input;
  const now = input.now ?? (() => new Date());
  const prior = input.checkpoint?.fullSync?.syncId === syncId ? input.checkpoint.fullSync : null;
  if (prior?.completed) {
    return {
      entity, fetched: prior.fetched, pages: prior.pagesDone, malformed: prior.malformed,
      highWaterMark: input.checkpoint!.highWaterMark, resumedFromPage: null, skipped: true, checkpoint: input.checkpoint!,
    };
  }
  const topic = entityTopic(source, entity as never);
  let fetched = prior?.fetched ?? 0;
  let malformed = prior?.malformed ?? 0;
  let pagesDone = prior?.pagesDone ?? 0;
  let hwm: string | null = prior?.highWaterMarkSoFar ?? null;
  const resumedFromPage = prior ? (prior.nextPage ?? null) : null;

  const checkpointOf = (position: { nextPage: number | null; cursor: string | null }, completed: boolean, highWaterMark: string | null): Checkpoint => ({
    type: 'Checkpoint',
    version: 1,
    source,
    entity,
    highWaterMark,
    fullSync: { syncId, nextPage: position.nextPage, cursor: position.cursor, pagesDone, fetched, malformed, completed, highWaterMarkSoFar: hwm },
    updatedAt: now().toISOString(),
  });
  const previousHwm = input.checkpoint?.highWaterMark ?? null;

  const publishPage = async (records: unknown[], next: { nextPage: number | null; cursor: string | null }, totalPages: number | null): Promise<void> => {
    const observedAt = now().toISOString();
    const out: OutgoingRecord[] = [];
    records.forEach((record, i) => {
      const event = observe(source, entity, record, observedAt, syncId, `${pagesDone + 1}-${i}`);
      if (event.malformedId) malformed += 1;
      const ts = event.value.sourceUpdatedAt;
      if (ts && (!hwm || ts > hwm)) hwm = ts;
      out.push({ topic, key: event.value.id, value: event.value });
    });
    fetched += records.length;
    pagesDone += 1;
    out.push({ topic: TOPICS.checkpoints, key: checkpointKey(source, entity), value: checkpointOf(next, false, previousHwm) });
    out.push({ topic: TOPICS.syncEvents, key: syncId, value: lifecycle({ type: 'EntityProgress', version: 1, syncId, source, at: observedAt, entity, fetched, pages: pagesDone, totalPages }) });
    await publisher.publishAtomically(out);
    input.onPage?.({ entity, pages: pagesDone, totalPages, fetched });
  };

  if (fetcher.paging === 'pages') {
    let page = prior?.nextPage ?? 1;
    const first = await fetcher.fetch({ page, cursor: null }, signal);
    const totalPages = Math.max(first.totalPages ?? page, page);
    await publishPage(first.records, { nextPage: page < totalPages ? page + 1 : null, cursor: null }, totalPages);
    page += 1;
    const width = Math.max(1, input.concurrency ?? 4);
    const inFlight = new Map<number, Promise<PageResult>>();
    let nextToRequest = page;
    while (page <= totalPages) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      while (nextToRequest <= totalPages && inFlight.size < width) {
        const p = nextToRequest++;
        const pending = fetcher.fetch({ page: p, cursor: null }, signal);
        pending.catch(() => undefined); // awaited in order below
        inFlight.set(p, pending);
      }
      const result = await inFlight.get(page)!;
      inFlight.delete(page);
      await publishPage(result.records, { nextPage: page < totalPages ? page + 1 : null, cursor: null }, totalPages);
      page += 1;
    }
  } else {
    let cursor: string | null = prior?.cursor ?? null;
    // A resumed run whose last page (no next cursor) was committed has nothing left to read.
    const finished = prior !== null && prior.pagesDone > 0 && cursor === null;
    while (!finished) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const result = await fetcher.fetch({ page: pagesDone + 1, cursor }, signal);
      cursor = result.nextCursor ?? null;
      await publishPage(result.records, { nextPage: null, cursor }, null);
      if (!cursor) break;
    }
  }

  const highWaterMark = maxIso(previousHwm, hwm ?? input.fallbackHighWaterMark);
  const checkpoint = checkpointOf({ nextPage: null, cursor: null }, true, highWaterMark);
  await publisher.publishAtomically([
    { topic: TOPICS.checkpoints, key: checkpointKey(source, entity), value: checkpoint },
    {
      topic: TOPICS.syncEvents,
      key: syncId,
      value: lifecycle({ type: 'EntityCompleted', version: 1, syncId, source, at: now().toISOString(), entity, fetched, pages: pagesDone, malformed, highWaterMark }),
    },
  ]);
  return { entity, fetched, pages: pagesDone, malformed, highWaterMark, resumedFromPage, skipped: false, checkpoint };
}

function lifecycle(e: SyncEvent): SyncEvent {
  return e;
}

function maxIso(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** The raw change event for one record as received; a record without a usable id still travels (the projector dead-letters it). */
export function observe(
  source: Source,
  entity: Entity,
  record: unknown,
  observedAt: string,
  syncId: string | null,
  position: string,
): { value: RecordObserved; malformedId: boolean } {
  let id: string;
  let malformedId = false;
  try {
    id = recordId(source, entity, record);
  } catch {
    id = `malformed:${syncId ?? 'webhook'}:${position}`;
    malformedId = true;
  }
  let sourceUpdatedAt: string | null = null;
  try {
    sourceUpdatedAt = normaliseIso(recordUpdatedAt(source, entity, record));
  } catch {
    sourceUpdatedAt = null;
  }
  return {
    value: {
      type: 'RecordObserved',
      version: 2,
      eventId: randomUUID(),
      source,
      entity,
      id,
      payload: record ?? null,
      observedAt,
      sourceUpdatedAt,
      syncId,
      origin: 'poll',
      deliveryId: null,
    },
    malformedId,
  };
}

function normaliseIso(value: string | null): string | null {
  if (!value) return null;
  const d = new Date(value.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const contractsForSync = { RecordObservedContract, CheckpointContract, SyncEventContract };
