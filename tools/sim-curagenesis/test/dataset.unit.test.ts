import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCuragenesisSimulator, createDataset } from '../src';

/** A real gc() without --expose-gc, so heap measurements are not noise. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('dataset', () => {
  test('when two data sets share a seed, then every record is identical; another seed differs', () => {
    const a = createDataset({ seed: 99, practices: 300, orders: 5_000 });
    const b = createDataset({ seed: 99, practices: 300, orders: 5_000 });
    const c = createDataset({ seed: 100, practices: 300, orders: 5_000 });
    expect([...a.iteratePractices()]).toEqual([...b.iteratePractices()]);
    expect([...a.iterateOrders()]).toEqual([...b.iterateOrders()]);
    expect([...a.iteratePractices()]).not.toEqual([...c.iteratePractices()]);
    expect(a.orderItems('ORD-0000042')).toEqual(b.orderItems('ORD-0000042'));
  });

  test('when the same record is asked for twice, then the answers are equal (records are pure functions)', () => {
    const d = createDataset({ seed: 5, practices: 50, orders: 1_000 });
    expect(d.practice(17)).toEqual(d.practice(17));
    expect(d.order(999)).toEqual(d.order(999));
  });

  test('when the simulator is built with the same seed and mutations, then the mutations give the same records', () => {
    const build = () => {
      const sim = createCuragenesisSimulator({ seed: 3, practices: 40, orders: 400 });
      sim.mutate({
        at: '2026-02-01T00:00:00Z',
        practices: { update: ['PR-000002'], insert: 1 },
        orders: { insert: 5 },
      });
      return sim.dataset;
    };
    const [x, y] = [build(), build()];
    expect([...x.iteratePractices()]).toEqual([...y.iteratePractices()]);
    expect([...x.iterateOrders()]).toEqual([...y.iterateOrders()]);
    expect(x.countOrders()).toBe(405);
  });

  test('when orders are inserted for a practice, then its totalOrders, updatedAt and order list follow', () => {
    const sim = createCuragenesisSimulator({ seed: 3, practices: 40, orders: 400 });
    const before = sim.dataset.practiceById('PR-000007')!;
    const result = sim.mutate({ at: '2026-03-01T12:00:00Z', orders: { insert: 2, practiceId: 'PR-000007' } });
    expect(result.orders.inserted).toEqual(['ORD-0000401', 'ORD-0000402']);
    const after = sim.dataset.practiceById('PR-000007')!;
    expect(after.totalOrders).toBe(before.totalOrders + 2);
    expect(after.updatedAt).toBe('2026-03-01T12:00:00.000Z');
    const orders = sim.dataset.ordersOfPractice('PR-000007');
    expect(orders.slice(-2).map((o) => [o.order_id, o.order_date])).toEqual([
      ['ORD-0000401', '2026-03-01T12:00:00.000Z'],
      ['ORD-0000402', '2026-03-01T12:00:00.000Z'],
    ]);
  });

  test('when orders go to a practice that is not activated, then it is activated at the mutation time', () => {
    const sim = createCuragenesisSimulator({ seed: 3, practices: 40, orders: 400 });
    const idle = [...sim.dataset.iteratePractices()].find((p) => p.activatedAt === null)!;
    const result = sim.mutate({
      at: '2026-03-02T00:00:00Z',
      orders: { insert: 1, practiceId: idle.practiceId },
    });
    expect(result.practices.activated).toEqual([idle.practiceId]);
    expect(sim.dataset.practiceById(idle.practiceId)).toMatchObject({
      activatedAtIso: '2026-03-02T00:00:00.000Z',
      totalOrders: 1,
    });
  });

  test('when a mutation names an unknown practice, then nothing changes and it throws', () => {
    const sim = createCuragenesisSimulator({ seed: 3, practices: 40, orders: 400 });
    expect(() => sim.mutate({ practices: { update: ['PR-000001', 'PR-000999'] } })).toThrow(/PR-000999/);
    expect(sim.dataset.practice(0).updatedAt < sim.dataset.now.toISOString()).toBe(true);
  });

  test('when the data set holds 1M orders, then iterating 100k of them lazily leaves the heap flat', () => {
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const d = createDataset({ seed: 1, practices: 2_000, orders: 1_000_000 });
    expect(d.countOrders()).toBe(1_000_000);
    let checksum = 0;
    let n = 0;
    for (const order of d.iterateOrders()) {
      checksum += order.total_amount;
      if (++n === 100_000) break;
    }
    expect(checksum).toBeGreaterThan(0);
    const last = d.order(999_999);
    expect(last.order_id).toBe('ORD-1000000');
    expect(d.ordersOfPractice(last.practice_id).at(-1)).toEqual(last);
    collectGarbage();
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
    expect(grownMb).toBeLessThan(5);
    expect(d.countPractices()).toBe(2_000); // keep d alive past the measurement
  }, 60_000);
});
