import { TributaryError } from '@tributary/core';
import { waitFor } from '@tributary/testkit';
import type { BatchConsumer } from '../src/consumer/batch-consumer';
import { runGuardedConsumer } from '../src/consumer/dlq-guard';
import { DlqLimit, DlqLimitExceededError } from '../src/dlq-limit';
import { DlqLimitTrippedError, InMemoryDlqLimitStore, tripOf } from '../src/dlq-limit-store';

/** A consumer that runs until stopped, or until `fail` is called; start refuses while the store is tripped. */
function fakeConsumers(store: InMemoryDlqLimitStore) {
  const started: { fail(err: unknown): void; stopped: boolean }[] = [];
  const start = async (): Promise<BatchConsumer> => {
    const trip = await store.tripped('g');
    if (trip) throw new DlqLimitTrippedError(trip);
    let settle!: { resolve(): void; reject(err: unknown): void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined);
    const entry = { fail: (err: unknown) => settle.reject(err), stopped: false };
    started.push(entry);
    return {
      done,
      async stop() {
        entry.stopped = true;
        settle.resolve();
      },
    };
  };
  return { started, start };
}

function exceeded(): DlqLimitExceededError {
  const breach = new DlqLimit({ maxConsecutiveFailures: 0 }).record(true)!;
  return new DlqLimitExceededError(breach, { topic: 't', partition: 0, groupId: 'g', offset: '3' });
}

function gauge() {
  const values: number[] = [];
  return {
    values,
    metrics: { gauge: () => ({ set: (_l: unknown, v: number) => void values.push(v) }) } as never,
  };
}

describe('a consumer guarded by its stored DLQ limit', () => {
  it('when the group is tripped at start, then the consumer does not run until the trip is reset', async () => {
    const store = new InMemoryDlqLimitStore();
    await store.trip(tripOf(exceeded(), new Date()));
    const { started, start } = fakeConsumers(store);
    const g = gauge();
    const guard = await runGuardedConsumer({ groupId: 'g', store, start, pollMs: 10, metrics: g.metrics });
    expect(guard.trip()).toMatchObject({ groupId: 'g', topic: 't', reason: 'consecutive' });
    expect(started).toHaveLength(0);
    await store.reset('g', 'ana');
    await waitFor(() => started.length === 1, { timeoutMs: 2000, description: 'started after reset' });
    expect(guard.trip()).toBeUndefined();
    expect(g.values).toEqual([1, 0]);
    await guard.stop();
    expect(started[0]!.stopped).toBe(true);
  });

  it('when the running consumer crosses its limit, then it is held stopped (done stays pending) and started again after a reset', async () => {
    const store = new InMemoryDlqLimitStore();
    const { started, start } = fakeConsumers(store);
    const guard = await runGuardedConsumer({ groupId: 'g', store, start, pollMs: 10 });
    let settled = false;
    guard.done.then(
      () => (settled = true),
      () => (settled = true),
    );
    const error = exceeded();
    await store.trip(tripOf(error, new Date())); // as the runtime does before `done` rejects
    started[0]!.fail(error);
    await waitFor(() => guard.trip() !== undefined, { timeoutMs: 2000, description: 'held' });
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toHaveLength(1);
    expect(settled).toBe(false);
    await store.reset('g', 'ana');
    await waitFor(() => started.length === 2, { timeoutMs: 2000, description: 'started again' });
    await guard.stop();
  });

  it('when another replica trips the group, then this consumer is stopped too', async () => {
    const store = new InMemoryDlqLimitStore();
    const { started, start } = fakeConsumers(store);
    const guard = await runGuardedConsumer({ groupId: 'g', store, start, pollMs: 10 });
    await store.trip(tripOf(exceeded(), new Date()));
    await waitFor(() => started[0]!.stopped, { timeoutMs: 2000, description: 'stopped' });
    expect(guard.trip()).toBeDefined();
    await guard.stop();
  });

  it('when the consumer fails for another reason, then done rejects with that error', async () => {
    const store = new InMemoryDlqLimitStore();
    const { started, start } = fakeConsumers(store);
    const guard = await runGuardedConsumer({ groupId: 'g', store, start, pollMs: 10 });
    const error = new TributaryError('CONSUMER_HANDLER_FAILED', 'bug');
    started[0]!.fail(error);
    await expect(guard.done).rejects.toBe(error);
    await guard.stop();
  });
});
