import { groupCommit } from '../src/group-commit';

describe('groupCommit', () => {
  it('when callers arrive during a publication, then they share the next one and each resolves after it', async () => {
    const calls: number[][] = [];
    let release!: () => void;
    const publish = groupCommit<number>(async (records) => {
      calls.push(records);
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = publish([1]);
    const second = publish([2]);
    const third = publish([3, 4]);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1]]);
    release();
    await Promise.all([first, second, third]);
    expect(calls).toEqual([[1], [2, 3, 4]]);
  });

  it('when a publication fails, then every caller of that group is rejected with its error', async () => {
    const publish = groupCommit<number>(async () => {
      throw new Error('broker down');
    });
    await expect(publish([1])).rejects.toThrow('broker down');
  });

  it('when a linger is set, then callers arriving within it share the first group', async () => {
    const calls: number[][] = [];
    const publish = groupCommit<number>(async (records) => void calls.push(records), { lingerMs: 20 });
    const first = publish([1]);
    await new Promise((r) => setTimeout(r, 5));
    const second = publish([2]);
    await Promise.all([first, second]);
    expect(calls).toEqual([[1, 2]]);
    // idle again: the next caller lingers anew, then goes alone
    await publish([3]);
    expect(calls).toEqual([[1, 2], [3]]);
  });

  it('when more callers wait than a group may hold, then they are split in arrival order', async () => {
    const calls: number[][] = [];
    const publish = groupCommit<number>(async (records) => void calls.push(records), {
      maxCallers: 2,
      lingerMs: 1,
    });
    await Promise.all([publish([1]), publish([2]), publish([3])]);
    expect(calls).toEqual([[1, 2], [3]]);
  });
});
