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

  describe('with concurrency and solo lanes', () => {
    /** A publisher whose every call waits until released; records are [lane, id] pairs. */
    function gatedPublisher() {
      const started: string[][] = [];
      const releases = new Map<string, () => void>();
      let inFlight = 0;
      let maxInFlight = 0;
      const publish = async (records: [string, string][]) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        started.push(records.map(([, id]) => id));
        await new Promise<void>((r) => releases.set(records.map(([, id]) => id).join('+'), r));
        inFlight -= 1;
      };
      return { publish, started, releases, maxInFlight: () => maxInFlight };
    }
    const tick = () => new Promise((r) => setImmediate(r));
    const soloLane = (callers: readonly [string, string][]) =>
      callers[0]![1].startsWith('big') ? callers[0]![0] : undefined;

    it('when large callers of one lane wait, then each has its own group and they run side by side up to the limit', async () => {
      const p = gatedPublisher();
      const publish = groupCommit<[string, string]>(p.publish, { concurrency: 2, soloLane });
      const done = [publish([['t', 'big1']]), publish([['t', 'big2']]), publish([['t', 'big3']])];
      await tick();
      expect(p.started).toEqual([['big1'], ['big2']]);
      p.releases.get('big2')!();
      await tick();
      expect(p.started).toEqual([['big1'], ['big2'], ['big3']]);
      p.releases.get('big1')!();
      p.releases.get('big3')!();
      await Promise.all(done);
      expect(p.maxInFlight()).toBe(2);
    });

    it('when the next large caller is of another lane, then it waits until the lane in flight is done', async () => {
      const p = gatedPublisher();
      const publish = groupCommit<[string, string]>(p.publish, { concurrency: 3, soloLane });
      const done = [publish([['customers', 'big1']]), publish([['appointments', 'big2']])];
      await tick();
      expect(p.started).toEqual([['big1']]);
      p.releases.get('big1')!();
      await tick();
      expect(p.started).toEqual([['big1'], ['big2']]);
      p.releases.get('big2')!();
      await Promise.all(done);
      expect(p.maxInFlight()).toBe(1);
    });

    it('when small callers wait, then they share one group that runs alone, and the large ones go after it', async () => {
      const p = gatedPublisher();
      const publish = groupCommit<[string, string]>(p.publish, { concurrency: 3, soloLane });
      const first = publish([['t', 'big1']]);
      await tick();
      const rest = [publish([['t', 'small1']]), publish([['t', 'big2']]), publish([['u', 'small2']])];
      await tick();
      // the shared group may not start beside big1; big2 waits behind it (arrival order)
      expect(p.started).toEqual([['big1']]);
      p.releases.get('big1')!();
      await tick();
      expect(p.started).toEqual([['big1'], ['small1', 'small2']]);
      p.releases.get('small1+small2')!();
      await tick();
      expect(p.started).toEqual([['big1'], ['small1', 'small2'], ['big2']]);
      p.releases.get('big2')!();
      await Promise.all([first, ...rest]);
      expect(p.maxInFlight()).toBe(1);
    });

    it('when one of the side-by-side groups fails, then only its caller is rejected', async () => {
      const publish = groupCommit<string>(
        async (records) => {
          await new Promise((r) => setTimeout(r, 5));
          if (records.includes('bad')) throw new Error('deadlock detected');
        },
        { concurrency: 2, soloLane: () => 'lane' },
      );
      const results = await Promise.allSettled([publish(['bad']), publish(['good'])]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    });

    it('when concurrency is 1, then large callers share groups as before', async () => {
      const calls: string[][] = [];
      let release!: () => void;
      const publish = groupCommit<string>(
        async (records) => {
          calls.push(records);
          if (calls.length === 1) await new Promise<void>((r) => (release = r));
        },
        { concurrency: 1, soloLane: () => 'lane' },
      );
      const all = [publish(['a']), publish(['b']), publish(['c'])];
      await tick();
      release();
      await Promise.all(all);
      expect(calls).toEqual([['a'], ['b', 'c']]);
    });
  });
});
