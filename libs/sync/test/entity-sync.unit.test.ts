import { randomUUID } from 'node:crypto';
import { DependencyError, TributaryError } from '@tributary/core';
import { TOPICS, type Checkpoint } from '@tributary/contracts';
import { syncEntity, type EntitySyncInput } from '../src/entity-sync';
import { cursorApi, customers, InMemoryPublisher, pagedApi } from './in-memory';

const CUSTOMERS = 'repcard.customers.v1';
const fixedNow = () => new Date('2026-02-01T00:00:00.000Z');

function input(
  overrides: Partial<EntitySyncInput> & Pick<EntitySyncInput, 'fetcher' | 'publisher'>,
): EntitySyncInput {
  return {
    source: 'repcard',
    entity: 'customers',
    syncId: randomUUID(),
    checkpoint: undefined,
    fallbackHighWaterMark: '2026-01-31T00:00:00.000Z',
    now: fixedNow,
    ...overrides,
  };
}

function checkpointOf(
  syncId: string,
  fullSync: Partial<NonNullable<Checkpoint['fullSync']>>,
  highWaterMark: string | null = null,
): Checkpoint {
  return {
    type: 'Checkpoint',
    version: 1,
    source: 'repcard',
    entity: 'customers',
    highWaterMark,
    fullSync: {
      syncId,
      nextPage: null,
      cursor: null,
      pagesDone: 0,
      fetched: 0,
      malformed: 0,
      completed: false,
      highWaterMarkSoFar: null,
      ...fullSync,
    },
    updatedAt: '2026-01-31T00:00:00.000Z',
  };
}

describe('syncEntity', () => {
  it('when an entity has three pages, then each page is one transaction with its records, its checkpoint and its progress', async () => {
    const publisher = new InMemoryPublisher();
    const api = pagedApi([customers(1, 2), customers(3, 4), customers(5, 5)]);
    const result = await syncEntity(input({ fetcher: api.fetcher, publisher }));

    expect(publisher.transactions).toHaveLength(4);
    const [first, second, third, last] = publisher.transactions;
    expect(first!.map((r) => r.topic)).toEqual([CUSTOMERS, CUSTOMERS, TOPICS.checkpoints, TOPICS.syncEvents]);
    expect(first!.slice(0, 2).map((r) => r.key)).toEqual(['1', '2']);
    expect(first![2]!.value).toMatchObject({
      fullSync: { nextPage: 2, pagesDone: 1, fetched: 2, completed: false },
    });
    expect(second![2]!.value).toMatchObject({ fullSync: { nextPage: 3, pagesDone: 2, fetched: 4 } });
    expect(third![1]!.value).toMatchObject({ fullSync: { nextPage: null, pagesDone: 3, fetched: 5 } });
    expect(third![2]!.value).toMatchObject({ type: 'EntityProgress', pages: 3, totalPages: 3, fetched: 5 });
    expect(last!.map((r) => r.value.type)).toEqual(['Checkpoint', 'EntityCompleted']);
    expect(last![0]!.value).toMatchObject({
      fullSync: { completed: true },
      highWaterMark: '2026-01-05T12:00:00.000Z',
    });
    expect(result).toMatchObject({
      fetched: 5,
      pages: 3,
      malformed: 0,
      skipped: false,
      resumedFromPage: null,
    });
  });

  it('when a run of the same sync stopped after page 2, then it resumes at page 3 and carries its counts', async () => {
    const publisher = new InMemoryPublisher();
    const api = pagedApi([customers(1, 2), customers(3, 4), customers(5, 6), customers(7, 7)]);
    const syncId = randomUUID();
    const checkpoint = checkpointOf(syncId, {
      nextPage: 3,
      pagesDone: 2,
      fetched: 4,
      highWaterMarkSoFar: '2026-01-04T12:00:00.000Z',
    });
    const result = await syncEntity(input({ syncId, checkpoint, fetcher: api.fetcher, publisher }));

    expect(api.calls).toEqual([3, 4]);
    expect(publisher.on(CUSTOMERS).map((r) => r.key)).toEqual(['5', '6', '7']);
    expect(result).toMatchObject({
      fetched: 7,
      pages: 4,
      resumedFromPage: 3,
      highWaterMark: '2026-01-07T12:00:00.000Z',
    });
  });

  it('when the checkpoint says the same sync completed the entity, then nothing is fetched or published', async () => {
    const publisher = new InMemoryPublisher();
    const api = pagedApi([customers(1, 2)]);
    const syncId = randomUUID();
    const checkpoint = checkpointOf(
      syncId,
      { pagesDone: 1, fetched: 2, completed: true },
      '2026-01-02T12:00:00.000Z',
    );
    const result = await syncEntity(input({ syncId, checkpoint, fetcher: api.fetcher, publisher }));

    expect(api.calls).toEqual([]);
    expect(publisher.transactions).toEqual([]);
    expect(result).toMatchObject({
      skipped: true,
      fetched: 2,
      pages: 1,
      highWaterMark: '2026-01-02T12:00:00.000Z',
    });
  });

  it('when the checkpoint is of another sync, then the run starts at page 1', async () => {
    const publisher = new InMemoryPublisher();
    const api = pagedApi([customers(1, 1), customers(2, 2)]);
    const checkpoint = checkpointOf(randomUUID(), { nextPage: 2, pagesDone: 1, fetched: 1 });
    await syncEntity(input({ checkpoint, fetcher: api.fetcher, publisher }));

    expect(api.calls).toEqual([1, 2]);
  });

  it('when a cursor run stopped after its first page, then it resumes at the stored cursor', async () => {
    const publisher = new InMemoryPublisher();
    const api = cursorApi([customers(1, 2), customers(3, 4), customers(5, 5)]);
    const syncId = randomUUID();
    const checkpoint = checkpointOf(syncId, { cursor: 'c1', pagesDone: 1, fetched: 2 });
    const result = await syncEntity(input({ syncId, checkpoint, fetcher: api.fetcher, publisher }));

    expect(api.calls).toEqual(['c1', 'c2']);
    expect(
      publisher.ofType('Checkpoint').map((r) => (r.value.fullSync as { cursor: string | null }).cursor),
    ).toEqual(['c2', null, null]);
    expect(result).toMatchObject({ fetched: 5, pages: 3 });
  });

  it('when a cursor run committed its last page but not its completion, then it completes without fetching', async () => {
    const publisher = new InMemoryPublisher();
    const api = cursorApi([customers(1, 2)]);
    const syncId = randomUUID();
    const checkpoint = checkpointOf(syncId, { cursor: null, pagesDone: 1, fetched: 2 });
    await syncEntity(input({ syncId, checkpoint, fetcher: api.fetcher, publisher }));

    expect(api.calls).toEqual([]);
    expect(publisher.transactions.map((t) => t.map((r) => r.value.type))).toEqual([
      ['Checkpoint', 'EntityCompleted'],
    ]);
  });

  it('when records carry no timestamp, then the high-water mark is the fallback, never older than the previous one', async () => {
    const users = { entity: 'users' as const, fallbackHighWaterMark: '2026-01-20T00:00:00.000Z' };
    const fresh = await syncEntity(
      input({ ...users, fetcher: pagedApi([[{ id: 1 }]]).fetcher, publisher: new InMemoryPublisher() }),
    );
    expect(fresh.highWaterMark).toBe('2026-01-20T00:00:00.000Z');

    const newer = { ...checkpointOf(randomUUID(), {}, '2026-01-25T00:00:00.000Z'), entity: 'users' };
    const kept = await syncEntity(
      input({
        ...users,
        checkpoint: newer,
        fetcher: pagedApi([[{ id: 1 }]]).fetcher,
        publisher: new InMemoryPublisher(),
      }),
    );
    expect(kept.highWaterMark).toBe('2026-01-25T00:00:00.000Z');
  });

  it('when pages are running, then every page checkpoint keeps the previous high-water mark until completion', async () => {
    const publisher = new InMemoryPublisher();
    const checkpoint = checkpointOf(randomUUID(), {}, '2026-01-01T00:00:00.000Z');
    await syncEntity(
      input({ checkpoint, fetcher: pagedApi([customers(1, 2), customers(3, 3)]).fetcher, publisher }),
    );

    expect(publisher.ofType('Checkpoint').map((r) => r.value.highWaterMark)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-01-03T12:00:00.000Z',
    ]);
  });

  it('when a record has no usable id, then it still travels under a malformed id and is counted', async () => {
    const publisher = new InMemoryPublisher();
    const syncId = randomUUID();
    const result = await syncEntity(
      input({ syncId, fetcher: pagedApi([[{ id: 1 }, { name: 'no id' }]]).fetcher, publisher }),
    );

    expect(publisher.on(CUSTOMERS).map((r) => r.key)).toEqual(['1', `malformed:${syncId}:1-1`]);
    expect(result.malformed).toBe(1);
    expect(publisher.ofType('EntityCompleted')[0]!.value).toMatchObject({ malformed: 1 });
  });

  it('when later pages answer first, then at most `concurrency` are in flight and pages are published in order', async () => {
    const publisher = new InMemoryPublisher();
    const pages = [1, 2, 3, 4, 5, 6].map((n) => customers(n, n));
    const api = pagedApi(pages, { delayMs: (page) => (7 - page) * 3 });
    await syncEntity(input({ fetcher: api.fetcher, publisher, concurrency: 2 }));

    expect(api.maxInFlight()).toBe(2);
    expect(publisher.on(CUSTOMERS).map((r) => r.key)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('when the signal aborts, then reading stops with its reason and no later page is published', async () => {
    const publisher = new InMemoryPublisher();
    const abort = new AbortController();
    const api = pagedApi([customers(1, 1), customers(2, 2), customers(3, 3)], { delayMs: () => 5 });
    const run = syncEntity({
      ...input({ fetcher: api.fetcher, publisher, concurrency: 1 }),
      signal: abort.signal,
      onPage: () => abort.abort(new Error('service stopping')),
    });

    await expect(run).rejects.toThrow('service stopping');
    expect(publisher.on(CUSTOMERS).map((r) => r.key)).toEqual(['1']);
    expect(publisher.ofType('EntityCompleted')).toEqual([]);
  });

  it('when a page transaction fails, then the error surfaces and the checkpoint still points at that page', async () => {
    const publisher = new InMemoryPublisher();
    publisher.failOn = (_records, index) => (index === 1 ? new Error('transaction aborted') : undefined);
    await expect(
      syncEntity(input({ fetcher: pagedApi([customers(1, 1), customers(2, 2)]).fetcher, publisher })),
    ).rejects.toThrow('transaction aborted');

    expect(publisher.ofType('Checkpoint').map((r) => r.value.fullSync)).toEqual([
      expect.objectContaining({ nextPage: 2, pagesDone: 1 }),
    ]);
  });
});

describe('syncEntity when Kafka fails for a while', () => {
  const quick = { firstDelayMs: 1, maxDelayMs: 4, giveUpAfterMs: 1_000 };

  it('when a page transaction fails retriably twice (a broker restarting), then it is retried and the entity completes with every record once', async () => {
    const publisher = new InMemoryPublisher();
    let failures = 0;
    publisher.failOn = (_records, index) =>
      index === 1 && failures < 2
        ? (failures++, new DependencyError('KAFKA_TRANSACTION_FAILED', 'broker down'))
        : undefined;
    const result = await syncEntity(
      input({
        fetcher: pagedApi([customers(1, 2), customers(3, 4)]).fetcher,
        publisher,
        publishRetry: quick,
      }),
    );
    expect(failures).toBe(2);
    expect(result.fetched).toBe(4);
    expect(publisher.on(CUSTOMERS).map((r) => r.key)).toEqual(['1', '2', '3', '4']);
  });

  it('when failures outlast the retry budget, or are final (fenced), then the entity fails with that error', async () => {
    const down = new InMemoryPublisher();
    down.failOn = () => new DependencyError('KAFKA_TRANSACTION_FAILED', 'broker down');
    await expect(
      syncEntity(
        input({
          fetcher: pagedApi([customers(1, 1)]).fetcher,
          publisher: down,
          publishRetry: { ...quick, giveUpAfterMs: 20 },
        }),
      ),
    ).rejects.toMatchObject({ code: 'KAFKA_TRANSACTION_FAILED' });

    const fenced = new InMemoryPublisher();
    let calls = 0;
    fenced.failOn = () => (calls++, new TributaryError('KAFKA_PRODUCER_FENCED', 'fenced'));
    await expect(
      syncEntity(
        input({ fetcher: pagedApi([customers(1, 1)]).fetcher, publisher: fenced, publishRetry: quick }),
      ),
    ).rejects.toMatchObject({
      code: 'KAFKA_PRODUCER_FENCED',
    });
    expect(calls).toBe(1);
  });
});
