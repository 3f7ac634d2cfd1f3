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
});
