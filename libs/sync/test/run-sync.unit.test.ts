import { randomUUID } from 'node:crypto';
import type { Checkpoint, Entity, SyncRequested } from '@tributary/contracts';
import { TributaryError } from '@tributary/core';
import { runSync, type RunSyncInput } from '../src/run-sync';
import { customers, InMemoryPublisher, pagedApi } from './in-memory';
import { syncRequested } from './sync-command-support';

const command = (overrides: Partial<SyncRequested> = {}): SyncRequested =>
  syncRequested({ mode: 'full', ...overrides });

function run(overrides: Partial<RunSyncInput> & Pick<RunSyncInput, 'fetcherFor'>) {
  const publisher = new InMemoryPublisher();
  const input: RunSyncInput = {
    command: command(),
    entities: ['users', 'offices', 'customers'],
    publisher,
    checkpoints: new Map(),
    now: () => new Date('2026-02-01T00:00:00.000Z'),
    ...overrides,
  };
  return { publisher, input, result: runSync(input) };
}

const pages = (entity: Entity) =>
  entity === 'customers' ? [customers(1, 2), customers(3, 3)] : [[{ id: 1 }, { id: 2 }]];

describe('runSync', () => {
  it('when every entity succeeds, then the lifecycle is SyncStarted, each entity started and completed, SyncCompleted', async () => {
    const { publisher, result, input } = run({ fetcherFor: (entity) => pagedApi(pages(entity)).fetcher });
    const outcome = await result;

    expect(outcome).toMatchObject({ fetched: 7, failedEntities: [] });
    const lifecycle = publisher
      .all()
      .filter((r) => r.value.type.startsWith('Sync') || /^Entity(Started|Completed)$/.test(r.value.type));
    expect(
      lifecycle.map((r) => `${r.value.type}${r.value.entity ? ` ${String(r.value.entity)}` : ''}`),
    ).toEqual([
      'SyncStarted',
      'EntityStarted users',
      'EntityCompleted users',
      'EntityStarted offices',
      'EntityCompleted offices',
      'EntityStarted customers',
      'EntityCompleted customers',
      'SyncCompleted',
    ]);
    expect(input.checkpoints.get('repcard/customers')).toMatchObject({
      fullSync: { completed: true, fetched: 3 },
    });
  });

  it('when one entity fails, then the others still run and the failure is recorded with its error', async () => {
    const { publisher, result } = run({
      fetcherFor: (entity) =>
        pagedApi(pages(entity), { failAt: entity === 'offices' ? 1 : undefined }).fetcher,
    });
    const outcome = await result;

    expect(outcome.failedEntities).toEqual(['offices']);
    expect(outcome.entities).toContainEqual({ entity: 'offices', error: 'page 1 failed', fetched: 0 });
    expect(publisher.ofType('EntityFailed').map((r) => r.value)).toEqual([
      expect.objectContaining({ entity: 'offices', error: 'page 1 failed' }),
    ]);
    expect(publisher.ofType('EntityCompleted').map((r) => r.value.entity)).toEqual(['users', 'customers']);
    expect(publisher.ofType('SyncCompleted')[0]!.value).toMatchObject({
      fetched: 5,
      failedEntities: ['offices'],
    });
  });

  it('when an entity fails after some of its pages, then its failure counts what those pages fetched', async () => {
    const { publisher, result } = run({
      fetcherFor: (entity) =>
        pagedApi(pages(entity), { failAt: entity === 'customers' ? 2 : undefined }).fetcher,
    });
    const outcome = await result;

    expect(outcome.entities).toContainEqual({ entity: 'customers', error: 'page 2 failed', fetched: 2 });
    expect(publisher.ofType('EntityFailed').map((r) => r.value)).toEqual([
      expect.objectContaining({ entity: 'customers', fetched: 2 }),
    ]);
  });

  it('when the producer is fenced, then the run ends at once: no other entity, no completion', async () => {
    const { publisher, result } = run({ fetcherFor: (entity) => pagedApi(pages(entity)).fetcher });
    publisher.failOn = (records) =>
      records.some((r) => r.value.entity === 'offices')
        ? new TributaryError('KAFKA_PRODUCER_FENCED', 'fenced', { retriable: false })
        : undefined;

    await expect(result).rejects.toMatchObject({ code: 'KAFKA_PRODUCER_FENCED' });
    expect(publisher.ofType('EntityFailed')).toEqual([]);
    expect(publisher.ofType('SyncCompleted')).toEqual([]);
    expect(publisher.all().some((r) => r.value.entity === 'customers')).toBe(false);
  });

  it('when the run is aborted, then the abort ends it instead of being recorded as a failed entity', async () => {
    const abort = new AbortController();
    const { publisher, result } = run({
      signal: abort.signal,
      fetcherFor: (entity) => pagedApi(pages(entity), { delayMs: () => 5 }).fetcher,
      onPage: () => abort.abort(new Error('service stopping')),
    });

    await expect(result).rejects.toThrow('service stopping');
    expect(publisher.ofType('EntityFailed')).toEqual([]);
    expect(publisher.ofType('SyncCompleted')).toEqual([]);
  });

  it('when the same command is redelivered, then completed entities are skipped and the interrupted one resumes', async () => {
    const syncId = randomUUID();
    const checkpoint = (
      entity: string,
      fullSync: Partial<NonNullable<Checkpoint['fullSync']>>,
    ): Checkpoint => ({
      type: 'Checkpoint',
      version: 1,
      source: 'repcard',
      entity,
      highWaterMark: null,
      updatedAt: '2026-02-01T00:00:00.000Z',
      fullSync: {
        syncId,
        nextPage: null,
        cursor: null,
        pagesDone: 1,
        fetched: 2,
        malformed: 0,
        completed: false,
        highWaterMarkSoFar: null,
        ...fullSync,
      },
    });
    const checkpoints = new Map([
      ['repcard/users', checkpoint('users', { completed: true })],
      ['repcard/offices', checkpoint('offices', { completed: true })],
      ['repcard/customers', checkpoint('customers', { nextPage: 2 })],
    ]);
    const asked: string[] = [];
    const { publisher, result } = run({
      command: command({ syncId }),
      checkpoints,
      fetcherFor: (entity) => {
        const api = pagedApi(pages(entity));
        return {
          paging: 'pages',
          fetch: (p, s) => (asked.push(`${entity} ${p.page}`), api.fetcher.fetch(p, s)),
        };
      },
    });
    const outcome = await result;

    expect(asked).toEqual(['customers 2']);
    expect(publisher.ofType('EntityStarted').map((r) => r.value.entity)).toEqual(['customers']);
    expect(outcome.fetched).toBe(2 + 2 + 3);
  });
});
