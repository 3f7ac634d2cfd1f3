import { randomUUID } from 'node:crypto';
import { TOPICS, type Checkpoint, type SyncCancelRequested, type SyncRequested } from '@tributary/contracts';
import { createMetrics, nullLogger } from '@tributary/observability';
import {
  Cancellations,
  cancelRequestRecord,
  decideCancel,
  pointBeforeStart,
  runSignal,
  syncCommandHandler,
  SyncCancelledError,
} from '../src';
import { customers, InMemoryPublisher, pagedApi } from './in-memory';

const command = (overrides: Partial<SyncRequested> = {}): SyncRequested => ({
  type: 'SyncRequested',
  version: 1,
  syncId: randomUUID(),
  source: 'repcard',
  mode: 'full',
  entities: ['users', 'customers', 'appointments'],
  window: { from: null, to: null },
  trigger: 'cli',
  requestedBy: 'unit-test',
  requestedAt: '2026-02-01T00:00:00.000Z',
  force: false,
  ...overrides,
});

const cancelOf = (syncId: string, requestedBy = 'ana'): SyncCancelRequested => ({
  type: 'SyncCancelRequested',
  version: 1,
  syncId,
  source: 'repcard',
  requestedBy,
  requestedAt: '2026-02-01T00:00:05.000Z',
});

/** customers: 10 pages of 2; cancelled by `ana` once `cancelAfterPage` of customers is committed. */
function cancellingRun(cancelAfterPage: number | null, checkpoints = new Map<string, Checkpoint>()) {
  const publisher = new InMemoryPublisher();
  const cancellations = new Cancellations();
  const metrics = createMetrics('unit-test');
  const apis = new Map<string, ReturnType<typeof pagedApi>>();
  const run = command();
  const handle = syncCommandHandler({
    source: 'repcard',
    label: 'RepCard',
    publisher,
    checkpoints,
    cancellations,
    concurrency: 2,
    logger: nullLogger(),
    metrics,
    fetcherFor: (_command, entity) => {
      const pages =
        entity === 'customers'
          ? Array.from({ length: 10 }, (_, i) => customers(2 * i + 1, 2 * i + 2))
          : [[{ id: 1 }]];
      const api = pagedApi(pages, { delayMs: () => 2 });
      apis.set(entity, api);
      return api.fetcher;
    },
  });
  if (cancelAfterPage !== null) {
    publisher.failOn = (records) => {
      const progress = records.find((r) => r.value.type === 'EntityProgress')?.value;
      if (progress?.entity === 'customers' && progress.pages === cancelAfterPage)
        queueMicrotask(() => cancellations.add(cancelOf(run.syncId)));
      return undefined;
    };
  }
  return { publisher, cancellations, metrics, apis, run, handle };
}

describe('cancelling a sync', () => {
  it('when a run is cancelled after a page, then it stops at the next page boundary, publishes SyncCancelled with the counts so far and returns', async () => {
    const { publisher, cancellations, metrics, apis, run, handle } = cancellingRun(3);
    await handle(run);

    const types = publisher.all().map((r) => r.value.type);
    expect(types).toContain('SyncCancelled');
    expect(types).not.toContain('SyncCompleted');
    expect(publisher.ofType('EntityStarted').map((r) => r.value.entity)).toEqual(['users', 'customers']);
    const progress = publisher.ofType('EntityProgress').filter((r) => r.value.entity === 'customers');
    // The page in hand when the cancel came is still committed (with its checkpoint), then nothing.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThanOrEqual(4);
    const committed = progress.at(-1)!.value.fetched as number;
    const [cancelled] = publisher.ofType('SyncCancelled');
    expect(cancelled!.value).toMatchObject({
      syncId: run.syncId,
      mode: 'full',
      entity: 'customers',
      started: true,
      fetched: 1 + committed,
      cancelledBy: 'ana',
    });
    expect(publisher.on(TOPICS.checkpoints).at(-1)!.value).toMatchObject({
      entity: 'customers',
      fullSync: { syncId: run.syncId, fetched: committed, completed: false },
    });
    expect(apis.has('appointments')).toBe(false);
    expect(apis.get('customers')!.calls.length).toBeLessThan(10);
    expect(cancellations.watched).toBe(0);
    expect(await metrics.registry.metrics()).toMatch(
      /tributary_sync_runs_total\{[^}]*outcome="cancelled"[^}]*\} 1/,
    );
  });

  it('when a queued command was cancelled before it arrives, then it never runs: only SyncCancelled, started false', async () => {
    const { publisher, cancellations, apis, run, handle } = cancellingRun(null);
    cancellations.add(cancelOf(run.syncId, 'bob'));
    await handle(run);

    expect(publisher.all().map((r) => r.value)).toEqual([
      expect.objectContaining({
        type: 'SyncCancelled',
        syncId: run.syncId,
        started: false,
        fetched: 0,
        entity: null,
        cancelledBy: 'bob',
      }),
    ]);
    expect(apis.size).toBe(0);
  });

  it('when another run is cancelled, then this one completes and leaves no listener behind', async () => {
    const { publisher, cancellations, run, handle } = cancellingRun(null);
    cancellations.add(cancelOf(randomUUID()));
    await handle(run);
    expect(publisher.ofType('SyncCompleted')).toHaveLength(1);
    expect(publisher.ofType('SyncCancelled')).toHaveLength(0);
    expect(cancellations.watched).toBe(0);
  });

  it('when a command that an earlier replica had started comes back cancelled, then its checkpointed counts are reported', () => {
    const run = command();
    const checkpoint = (entity: 'users' | 'customers', syncId: string, fetched: number): Checkpoint => ({
      type: 'Checkpoint',
      version: 1,
      source: 'repcard',
      entity,
      highWaterMark: null,
      fullSync: {
        syncId,
        nextPage: 2,
        cursor: null,
        pagesDone: 1,
        fetched,
        malformed: 0,
        completed: false,
        highWaterMarkSoFar: null,
      },
      updatedAt: '2026-02-01T00:00:00.000Z',
    });
    const checkpoints = new Map([
      ['repcard/users', checkpoint('users', run.syncId, 5)],
      ['repcard/customers', checkpoint('customers', randomUUID(), 100)],
    ]);
    expect(pointBeforeStart(run, checkpoints)).toEqual({ fetched: 5, entity: null, started: true });
    expect(pointBeforeStart(command(), checkpoints)).toEqual({ fetched: 0, entity: null, started: false });
  });
});

describe('Cancellations and runSignal', () => {
  it('when a cancel is added twice, then listeners hear it once and the first request is kept', () => {
    const c = new Cancellations();
    const heard: string[] = [];
    c.onCancel('s1', (r) => heard.push(r.requestedBy));
    expect(c.add(cancelOf('s1', 'ana'))).toBe(true);
    expect(c.add(cancelOf('s1', 'bob'))).toBe(false);
    expect(heard).toEqual(['ana']);
    expect(c.get('s1')?.requestedBy).toBe('ana');
    c.onCancel('s1', (r) => heard.push(`late ${r.requestedBy}`));
    expect(heard).toEqual(['ana', 'late ana']);
  });

  it('when the service stops, then the run signal aborts with its reason (not a cancel); released, it hears nothing more', () => {
    const service = new AbortController();
    const c = new Cancellations();
    const run = runSignal('s1', service.signal, c);
    service.abort(new Error('service stopping'));
    expect(run.signal.reason).toEqual(new Error('service stopping'));
    run.release();
    expect(c.watched).toBe(0);

    const cancelled = runSignal('s2', new AbortController().signal, c);
    c.add(cancelOf('s2'));
    expect(cancelled.signal.reason).toBeInstanceOf(SyncCancelledError);
    expect(cancelled.signal.reason).toMatchObject({ code: 'SYNC_CANCELLED' });
  });
});

describe('decideCancel', () => {
  const now = new Date('2026-02-01T00:00:05.000Z');
  it('when the id is unknown, then the answer is unknown', () => {
    expect(decideCancel('x', null, 'ana', now)).toEqual({ outcome: 'unknown', syncId: 'x' });
  });

  it('when the run has ended, then the answer is ended with its status', () => {
    expect(
      decideCancel('x', { syncId: 'x', source: 'repcard', state: 'ended', status: 'completed' }, 'ana', now),
    ).toEqual({
      outcome: 'ended',
      syncId: 'x',
      source: 'repcard',
      status: 'completed',
    });
  });

  it.each(['queued', 'running'] as const)(
    'when the run is %s, then a SyncCancelRequested keyed by the syncId is to be published',
    (state) => {
      const syncId = randomUUID();
      const decision = decideCancel(syncId, { syncId, source: 'curagenesis', state }, 'ana', now);
      expect(decision).toMatchObject({ outcome: 'requested', state });
      if (decision.outcome !== 'requested') throw new Error('unreachable');
      const record = cancelRequestRecord(decision.command);
      expect(record.key).toBe(syncId);
      expect(record.contract.topic).toBe(TOPICS.syncControl);
      expect(record.contract.decode(record.value)).toEqual({
        ...cancelOf(syncId),
        source: 'curagenesis',
        requestedAt: now.toISOString(),
      });
    },
  );
});
