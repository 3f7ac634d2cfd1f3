import { entityTopic, type Checkpoint, type Entity, type Source } from '@tributary/contracts';
import type { OutgoingRecord } from '@tributary/kafka';
import type { EntityFetcher, PageResult } from './fetchers';
import { observe } from './observe';
import { publishWithRetry, type PublishRetry } from './publish-retry';
import { checkpointRecord, observedRecord, syncEventRecord, type AtomicPublisher } from './outgoing';

/** After each committed page: `records` on this page, `fetched` in the entity's run so far. */
export type PageProgress = {
  entity: string;
  pages: number;
  totalPages: number | null;
  fetched: number;
  records: number;
};

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
  onPage?: (p: PageProgress) => void;
  /** How a page's transaction is retried after a retriable failure (default: DEFAULT_PUBLISH_RETRY). */
  publishRetry?: PublishRetry;
  /**
   * The run reads every record the source holds of the entity (a full sync without a date window):
   * said in EntityCompleted, so the projector may mark the rows it did not see deleted (ADR 0018).
   */
  wholeEntity?: boolean;
  /**
   * The entity's newest high-water mark now (another run of the same entity may have completed
   * meanwhile: a run started early, ADR 0026): checkpoints written by this run never go below it.
   */
  latestHighWaterMark?: () => string | null;
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

/** Where the next page starts: `nextPage` for page-numbered APIs, `cursor` for cursor APIs (null: done). */
type Next = { nextPage: number | null; cursor: string | null };

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
      entity,
      fetched: prior.fetched,
      pages: prior.pagesDone,
      malformed: prior.malformed,
      highWaterMark: input.checkpoint!.highWaterMark,
      resumedFromPage: null,
      skipped: true,
      checkpoint: input.checkpoint!,
    };
  }
  const topic = entityTopic(source, entity as never);
  let fetched = prior?.fetched ?? 0;
  let malformed = prior?.malformed ?? 0;
  let pagesDone = prior?.pagesDone ?? 0;
  let hwm: string | null = prior?.highWaterMarkSoFar ?? null;
  const resumedFromPage = prior ? (prior.nextPage ?? null) : null;
  const startHwm = input.checkpoint?.highWaterMark ?? null;
  const latestHwm = () => maxIso(startHwm, input.latestHighWaterMark?.() ?? null);

  const checkpointOf = (next: Next, completed: boolean, highWaterMark: string | null): Checkpoint => ({
    type: 'Checkpoint',
    version: 1,
    source,
    entity,
    highWaterMark,
    fullSync: {
      syncId,
      nextPage: next.nextPage,
      cursor: next.cursor,
      pagesDone,
      fetched,
      malformed,
      completed,
      highWaterMarkSoFar: hwm,
    },
    updatedAt: now().toISOString(),
  });

  /** One page: its records, the checkpoint after it and EntityProgress, in one transaction. */
  const publishPage = async (records: unknown[], next: Next, totalPages: number | null): Promise<void> => {
    const observedAt = now().toISOString();
    const out: OutgoingRecord[] = records.map((record, i) => {
      const event = observe(source, entity, record, observedAt, syncId, `${pagesDone + 1}-${i}`);
      if (event.malformedId) malformed += 1;
      const ts = event.value.sourceUpdatedAt;
      if (ts && (!hwm || ts > hwm)) hwm = ts;
      return observedRecord(topic, event.value);
    });
    fetched += records.length;
    pagesDone += 1;
    out.push(checkpointRecord(checkpointOf(next, false, latestHwm())));
    out.push(
      syncEventRecord({
        type: 'EntityProgress',
        version: 1,
        syncId,
        source,
        at: observedAt,
        entity,
        fetched,
        pages: pagesDone,
        totalPages,
      }),
    );
    await publishWithRetry(publisher, out, signal, input.publishRetry);
    input.onPage?.({ entity, pages: pagesDone, totalPages, fetched, records: records.length });
  };

  if (fetcher.paging === 'pages') {
    await readNumberedPages(
      fetcher,
      prior?.nextPage ?? 1,
      Math.max(1, input.concurrency ?? 4),
      publishPage,
      signal,
    );
  } else {
    // A resumed run whose last page (no next cursor) was committed has nothing left to read.
    const finished = prior !== null && prior.pagesDone > 0 && prior.cursor === null;
    if (!finished)
      await readCursorPages(fetcher, prior?.cursor ?? null, () => pagesDone + 1, publishPage, signal);
  }

  const highWaterMark = maxIso(latestHwm(), hwm ?? input.fallbackHighWaterMark);
  const checkpoint = checkpointOf({ nextPage: null, cursor: null }, true, highWaterMark);
  await publishWithRetry(
    publisher,
    [
      checkpointRecord(checkpoint),
      syncEventRecord({
        type: 'EntityCompleted',
        version: 1,
        syncId,
        source,
        at: now().toISOString(),
        entity,
        fetched,
        pages: pagesDone,
        malformed,
        highWaterMark,
        wholeEntity: input.wholeEntity ?? false,
      }),
    ],
    signal,
    input.publishRetry,
  );
  return {
    entity,
    fetched,
    pages: pagesDone,
    malformed,
    highWaterMark,
    resumedFromPage,
    skipped: false,
    checkpoint,
  };
}

type PublishPage = (records: unknown[], next: Next, totalPages: number | null) => Promise<void>;

/**
 * Page-numbered: the first page tells the page count; then up to `width` pages are in flight at once,
 * published strictly in order (a checkpoint never points past a page that is not committed).
 */
async function readNumberedPages(
  fetcher: EntityFetcher,
  from: number,
  width: number,
  publishPage: PublishPage,
  signal?: AbortSignal,
): Promise<void> {
  let page = from;
  const first = await fetcher.fetch({ page, cursor: null }, signal);
  const totalPages = Math.max(first.totalPages ?? page, page);
  const nextAfter = (p: number): Next => ({ nextPage: p < totalPages ? p + 1 : null, cursor: null });
  await publishPage(first.records, nextAfter(page), totalPages);
  page += 1;
  const inFlight = new Map<number, Promise<PageResult>>();
  let nextToRequest = page;
  const refill = () => {
    while (nextToRequest <= totalPages && inFlight.size < width) {
      const p = nextToRequest++;
      const pending = fetcher.fetch({ page: p, cursor: null }, signal);
      pending.catch(() => undefined); // awaited in order below
      inFlight.set(p, pending);
    }
  };
  while (page <= totalPages) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    refill();
    const result = await inFlight.get(page)!;
    inFlight.delete(page);
    // The next request goes out before this page's transaction, not after it: a budget slot left
    // idle while a page commits is time the whole run loses (issue 14, the rate-bound target).
    refill();
    await publishPage(result.records, nextAfter(page), totalPages);
    page += 1;
  }
}

/** Cursor-paged: one page at a time until a page comes without a next cursor. */
async function readCursorPages(
  fetcher: EntityFetcher,
  from: string | null,
  pageNumber: () => number,
  publishPage: PublishPage,
  signal?: AbortSignal,
): Promise<void> {
  let cursor = from;
  for (;;) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    const result = await fetcher.fetch({ page: pageNumber(), cursor }, signal);
    cursor = result.nextCursor ?? null;
    await publishPage(result.records, { nextPage: null, cursor }, null);
    if (!cursor) return;
  }
}

function maxIso(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
