import { DedupWindow } from '../src/domain/dedup-window';

describe('DedupWindow', () => {
  it('when an id was never accepted, then it is not a duplicate', () => {
    expect(new DedupWindow({ windowMs: 1000, maxEntries: 10 }).has('a', 0)).toBe(false);
  });

  it('when an id was accepted, then it is a duplicate until the window has passed, and not after', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    window.remember('a', 5000);
    expect(window.has('a', 5000)).toBe(true);
    expect(window.has('a', 5999)).toBe(true);
    expect(window.has('a', 6000)).toBe(false);
    expect(window.size).toBe(0);
  });

  it('when new ids are accepted, then expired ones are dropped from the front', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 10 });
    window.remember('a', 0);
    window.remember('b', 500);
    window.remember('c', 1200);
    expect(window.size).toBe(2);
    expect(window.has('a', 1200)).toBe(false);
    expect(window.has('b', 1200)).toBe(true);
  });

  it('when more ids than the bound are accepted, then the oldest are forgotten first', () => {
    const window = new DedupWindow({ windowMs: 60_000, maxEntries: 3 });
    for (const [i, id] of ['a', 'b', 'c', 'd', 'e'].entries()) window.remember(id, i);
    expect(window.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => window.has(id, 10))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('when an id is accepted again, then its window starts again and it moves to the back', () => {
    const window = new DedupWindow({ windowMs: 1000, maxEntries: 2 });
    window.remember('a', 0);
    window.remember('b', 100);
    window.remember('a', 900);
    window.remember('c', 950); // evicts b, the oldest, not a
    expect(window.has('a', 1800)).toBe(true);
    expect(window.has('b', 950)).toBe(false);
  });
});
