import { groupCommitPool } from '../src/domain/group-commit-pool';
import { deferred } from './test-support';

const turn = () => new Promise((r) => setImmediate(r));

/** A committer whose transactions are held until the test commits them. */
function heldCommitter(
  name: string,
  log: { name: string; records: number[]; done: ReturnType<typeof deferred> }[],
) {
  return (records: number[]) => {
    const done = deferred();
    log.push({ name, records, done });
    return done.promise;
  };
}

describe('group commit over a pool of producers', () => {
  it('when deliveries arrive together, then they share one transaction and each resolves only once it committed', async () => {
    const log: Parameters<typeof heldCommitter>[1] = [];
    const pool = groupCommitPool([heldCommitter('a', log)]);
    let settled = 0;
    const calls = [1, 2, 3].map((n) => pool.publish([n]).then(() => settled++));
    await turn();
    expect(log.map((t) => t.records)).toEqual([[1, 2, 3]]);
    expect(pool.outstanding()).toBe(3);
    await turn();
    expect(settled).toBe(0);
    log[0]!.done.resolve();
    await Promise.all(calls);
    expect(settled).toBe(3);
    expect(pool.outstanding()).toBe(0);
  });

  it('when one transaction is slow, then the next group commits on another producer without waiting for it', async () => {
    const log: Parameters<typeof heldCommitter>[1] = [];
    const pool = groupCommitPool([heldCommitter('a', log), heldCommitter('b', log)]);
    const slow = pool.publish([1]);
    await turn();
    const fast = pool.publish([2]);
    await turn();
    expect(log.map((t) => [t.name, t.records])).toHaveLength(2);
    expect(new Set(log.map((t) => t.name)).size).toBe(2);
    log[1]!.done.resolve();
    await fast; // resolved while the first transaction still runs
    expect(pool.outstanding()).toBe(1);
    log[0]!.done.resolve();
    await slow;
  });

  it('when every producer is busy, then the deliveries arriving meanwhile share the next free one, up to maxCallers a group', async () => {
    const log: Parameters<typeof heldCommitter>[1] = [];
    const pool = groupCommitPool([heldCommitter('a', log)], { maxCallers: 2 });
    const first = pool.publish([0]);
    await turn();
    const later = [1, 2, 3].map((n) => pool.publish([n]));
    await turn();
    expect(log).toHaveLength(1);
    expect(pool.outstanding()).toBe(4);
    log[0]!.done.resolve();
    await first;
    await turn();
    expect(log.map((t) => t.records)).toEqual([[0], [1, 2]]);
    log[1]!.done.resolve();
    await turn();
    await turn();
    expect(log.map((t) => t.records)).toEqual([[0], [1, 2], [3]]);
    log[2]!.done.resolve();
    await Promise.all(later);
  });

  it('when a transaction fails, then its group rejects with the error, and other groups and later deliveries go on', async () => {
    const log: Parameters<typeof heldCommitter>[1] = [];
    const pool = groupCommitPool([heldCommitter('a', log), heldCommitter('b', log)]);
    const failed = pool.publish([1]);
    await turn();
    const other = pool.publish([2]);
    await turn();
    log[0]!.done.reject(new Error('broker gone'));
    await expect(failed).rejects.toThrow('broker gone');
    log[1]!.done.resolve();
    await other;
    const after = pool.publish([3]);
    await turn();
    log[2]!.done.resolve();
    await after;
    expect(pool.outstanding()).toBe(0);
  });

  describe('minIntervalMs', () => {
    /** A committer that commits at once. */
    const instant = (log: number[][]) => (records: number[]) => {
      log.push(records);
      return Promise.resolve();
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('when a delivery comes after a quiet spell, then its transaction starts at once', async () => {
      const log: number[][] = [];
      let now = 1_000;
      const pool = groupCommitPool([instant(log)], { minIntervalMs: 20, now: () => now });
      await pool.publish([1]);
      now += 25;
      const second = pool.publish([2]);
      await turn();
      expect(log).toEqual([[1], [2]]);
      await second;
    });

    it('when deliveries follow a transaction started less than the interval ago, then they wait for it and share one transaction', async () => {
      const log: number[][] = [];
      const pool = groupCommitPool([instant(log)], { minIntervalMs: 30 });
      await pool.publish([1]);
      const started = Date.now();
      const later = [pool.publish([2]), pool.publish([3])];
      await sleep(5);
      const last = pool.publish([4]);
      await turn();
      expect(log).toEqual([[1]]); // the interval holds them
      await Promise.all([...later, last]);
      expect(log).toEqual([[1], [2, 3, 4]]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(20);
      expect(pool.outstanding()).toBe(0);
    });

    it('when maxCallers deliveries are waiting, then their transaction starts without waiting out the interval', async () => {
      const log: number[][] = [];
      const pool = groupCommitPool([instant(log)], { minIntervalMs: 60_000, maxCallers: 2 });
      await pool.publish([1]);
      await Promise.all([pool.publish([2]), pool.publish([3])]);
      expect(log).toEqual([[1], [2, 3]]);
    });
  });
});
