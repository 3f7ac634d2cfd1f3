import { randomUUID } from 'node:crypto';
import type { SyncRequested } from '@tributary/contracts';
import { pagedApi } from './in-memory';
import { repcardHandler, syncRequested } from './sync-command-support';

const command = (overrides: Partial<SyncRequested>): SyncRequested =>
  syncRequested({ entities: ['users'], ...overrides });

describe('a higher budget class starts beside the running command', () => {
  it('when a Sync Now is offered while a backfill runs, then it runs at once, completes first, and is not run again when the consumer reaches it', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const fetched: string[] = [];
    const backfill = command({
      mode: 'full',
      window: { from: '2020-01-01', to: '2020-12-31' },
      trigger: 'cli',
    });
    const syncNow = command({});
    const { handle, publisher } = repcardHandler({
      fetcherFor: (c) => {
        const api = pagedApi([[{ id: 1 }]]).fetcher;
        return {
          ...api,
          fetch: async (req, signal) => {
            fetched.push(c.syncId);
            if (c.syncId === backfill.syncId) await held;
            return api.fetch(req, signal);
          },
        };
      },
    });
    const running = handle(backfill);
    await new Promise((r) => setTimeout(r, 10));
    handle.offer(command({ ...backfill, syncId: randomUUID(), trigger: 'schedule', mode: 'full' })); // the same class (a windowed full sync is a backfill): not started early
    handle.offer(syncNow);
    const completedFirst = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const done = publisher.ofType('SyncCompleted');
        if (done.length > 0) {
          clearInterval(poll);
          resolve(String(done[0]!.value.syncId));
        }
      }, 5);
    });
    expect(completedFirst).toBe(syncNow.syncId);
    release();
    await running;
    await handle(syncNow); // the consumer reaches it: waits for the early run, nothing fetched again
    expect(fetched.filter((id) => id === syncNow.syncId)).toHaveLength(1);
    expect(publisher.ofType('SyncCompleted').map((r) => r.value.syncId)).toEqual([
      syncNow.syncId,
      backfill.syncId,
    ]);
  });
});
