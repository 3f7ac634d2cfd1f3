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
});
