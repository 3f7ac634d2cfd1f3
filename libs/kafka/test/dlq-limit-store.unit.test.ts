import { TributaryError } from '@tributary/core';
import { directRunner, type BatchHandler } from '../src/consumer/runners';
import { DlqLimit, DlqLimitExceededError, MAX_WINDOW_BUCKETS, type DlqPolicy } from '../src/dlq-limit';
import { DlqLimitTrippedError, InMemoryDlqLimitStore, tripOf } from '../src/dlq-limit-store';
import { good, payload, processorOf, type N } from './consumer-fakes';

/** Fails every record whose n is odd. */
const failOdd: BatchHandler<N> = async (batch) => ({
  failures: batch.messages
    .filter((m) => m.value.n % 2 === 1)
    .map((m) => ({ offset: m.offset, error: new TributaryError('PROJECTION_FAILED', `odd ${m.value.n}`) })),
});

/** A consumer's chain over `store`: a new one is what a restarted process builds. */
function consumerOver(store: InMemoryDlqLimitStore, dlq: DlqPolicy) {
  return processorOf((deadLetters) => directRunner(failOdd, deadLetters), { dlq, dlqLimitStore: store });
}

const values = (from: number, count: number) => Array.from({ length: count }, (_, i) => good(from + i));

describe('DLQ limit over a window, stored', () => {
  it('when failures alternate with successes, then no run of them trips the count but the ratio over the window does', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 5, maxRatio: { ratio: 0.4, window: 1000 } });
    const outcomes = Array.from({ length: 2000 }, (_, i) => i % 2 === 1);
    const breach = limit.recordAll(outcomes);
    expect(breach).toMatchObject({
      reason: 'ratio',
      failuresInWindow: 500,
      recordsInWindow: 1000,
      window: 1000,
      limit: 0.4,
    });
  });

  it('when the window is large, then its state holds at most MAX_WINDOW_BUCKETS buckets', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 5, maxRatio: { ratio: 0.9, window: 100_000 } });
    limit.recordAll(Array.from({ length: 250_000 }, (_, i) => i % 3 === 0));
    const state = limit.state();
    expect(state.buckets.length).toBeLessThanOrEqual(MAX_WINDOW_BUCKETS);
    expect(state.bucketSize).toBe(2000);
    expect(state.full).toBe(true);
    expect(JSON.stringify(state).length).toBeLessThan(2000);
  });

  it('when a limit is made from a stored state, then it goes on counting where the state left off', () => {
    const policy = { maxConsecutiveFailures: 3, maxRatio: { ratio: 0.5, window: 4 } };
    const before = new DlqLimit(policy);
    expect(before.recordAll([false, true, true])).toBeUndefined();
    const after = new DlqLimit(policy, JSON.parse(JSON.stringify(before.state())));
    expect(after.consecutiveFailures).toBe(2);
    // window F T T + T = 3 of 4 > 0.5
    expect(after.record(true)).toMatchObject({ reason: 'ratio', failuresInWindow: 3, recordsInWindow: 4 });
  });

  it('when the stored state was made with another window, then its counts are kept as one bucket that slides out', () => {
    const old = new DlqLimit({ maxConsecutiveFailures: 100, maxRatio: { ratio: 0.5, window: 10 } });
    old.recordAll([true, true, true, false, false, false, false, false, false, false]);
    const limit = new DlqLimit(
      { maxConsecutiveFailures: 100, maxRatio: { ratio: 0.2, window: 200 } },
      old.state(),
    );
    expect(limit.state().buckets).toEqual([{ seen: 10, dead: 3 }]);
    expect(limit.state().full).toBe(false);
  });

  it('when a consumer restarts over the same store, then its count goes on and the limit trips at the same record', async () => {
    const store = new InMemoryDlqLimitStore();
    const dlq = { maxConsecutiveFailures: 100, maxRatio: { ratio: 0.4, window: 20 } };
    // first run: 10 records, 5 dead letters (window not full yet)
    const first = consumerOver(store, dlq);
    await first.process(payload(values(0, 10), 0).p);
    expect(first.routed).toHaveLength(5);
    // restart: 10 more make the window full at 10 of 20 > 0.4: the batch is refused
    const second = consumerOver(store, dlq);
    await expect(second.process(payload(values(10, 10), 10).p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(second.routed).toHaveLength(0);
    expect(second.fatal()).toMatchObject({
      details: { reason: 'ratio', failuresInWindow: 10, recordsInWindow: 20 },
    });
  });

  it('when the counts stay clean, then nothing is written to the store', async () => {
    const store = new InMemoryDlqLimitStore();
    const { process } = processorOf((d) => directRunner(async () => undefined, d), { dlqLimitStore: store });
    await process(payload(values(0, 5)).p);
    await process(payload(values(5, 5), 5).p);
    expect(store.saves).toBe(0);
    expect(await store.load('g', 't', 0)).toBeUndefined();
  });

  it('when a trip is stored, then it holds until reset, which also clears the counts', async () => {
    const store = new InMemoryDlqLimitStore();
    await consumerOver(store, {}).process(payload([good(1)]).p);
    expect(await store.load('g', 't', 0)).toMatchObject({ consecutive: 1 });
    const breach = new DlqLimit({ maxConsecutiveFailures: 0 }).record(true)!;
    const trip = tripOf(
      new DlqLimitExceededError(breach, { topic: 't', partition: 0, groupId: 'g', offset: '0' }),
      new Date(0),
    );
    await store.trip(trip);
    expect(await store.tripped('g')).toEqual(trip);
    expect(trip.message).toMatch(
      /t\[0\] group g: 1 dead letters in a row \(limit 0\).*tributary dlq reset-limit --group g/,
    );
    expect(new DlqLimitTrippedError(trip).message).toContain('tributary dlq reset-limit --group g');
    expect(await store.reset('g', 'ana')).toEqual(trip);
    expect(await store.tripped('g')).toBeUndefined();
    expect(await store.load('g', 't', 0)).toBeUndefined();
  });
});
