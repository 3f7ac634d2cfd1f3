import type { JsonGetter, PageResult } from '@tributary/sync';
import { ordersFetcher } from '../src/data-access/orders-fetcher';
import { decodeOrdersCursor, encodeOrdersCursor } from '../src/domain/orders-cursor';
import { FINANCIALS_PATH, PRACTICES_PATH, type OrdersPlan } from '../src/domain/requests';

/** A fake partner API: practices P0..P(n-1), `orders[i]` orders for practice i, cursors are indexes. */
function fakeApi(orders: number[], pageSize: number) {
  const calls: string[] = [];
  const client: JsonGetter = {
    async getJson(path, query = {}) {
      const start = query.cursor === undefined ? 0 : Number(query.cursor);
      let items: unknown[];
      let total: number;
      if (path === PRACTICES_PATH) {
        total = orders.length;
        items = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, k) => ({
          practiceId: `P${start + k}`,
        }));
        calls.push(`practices@${start}`);
      } else if (path === FINANCIALS_PATH) {
        const p = Number(String(query.practiceId).slice(1));
        total = orders[p]!;
        items = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, k) => ({
          order_id: `P${p}-O${start + k}`,
          practice_id: `P${p}`,
          from: query.from,
        }));
        calls.push(`financials P${p}@${start}`);
      } else throw new Error(path);
      const next = start + pageSize < total ? String(start + pageSize) : undefined;
      return { status: 200, headers: new Headers(), body: { items, ...(next && { nextCursor: next }) } };
    },
  };
  return { client, calls };
}

const plan: OrdersPlan = {
  practicesQuery: { page_size: 2 },
  financialsQuery: { page_size: 2, from: '2026-01-01' },
  describe: '',
};

async function drain(
  fetcher: ReturnType<typeof ordersFetcher>,
  cursor: string | null = null,
  stopAfter = Infinity,
) {
  const pages: PageResult[] = [];
  for (;;) {
    const page = await fetcher.fetch({ page: pages.length + 1, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? null;
    if (!cursor || pages.length >= stopAfter) return { pages, cursor };
  }
}

const ids = (pages: PageResult[]) =>
  pages.flatMap((p) => p.records.map((r) => (r as { order_id: string }).order_id));

describe('ordersFetcher', () => {
  const orders = [3, 0, 1, 5, 0];
  const expected = ['P0-O0', 'P0-O1', 'P0-O2', 'P2-O0', 'P3-O0', 'P3-O1', 'P3-O2', 'P3-O3', 'P3-O4'];

  it('when it walks every practice, then it returns every order once, in practice order, with the date filter', async () => {
    const { client } = fakeApi(orders, 2);
    const { pages } = await drain(ordersFetcher({ client, plan, concurrency: 3, batchSize: 4 }));
    expect(ids(pages)).toEqual(expected);
    expect(pages.every((p) => p.records.every((r) => (r as { from: string }).from === '2026-01-01'))).toBe(
      true,
    );
    expect(pages.slice(0, -1).every((p) => p.records.length >= 4)).toBe(true);
  });

  it('when a run is resumed from any page cursor by a new fetcher, then the rest follows without gaps or repeats', async () => {
    for (let stop = 1; stop <= 4; stop++) {
      const first = await drain(
        ordersFetcher({ client: fakeApi(orders, 2).client, plan, concurrency: 2, batchSize: 2 }),
        null,
        stop,
      );
      if (!first.cursor) continue;
      const rest = await drain(
        ordersFetcher({ client: fakeApi(orders, 2).client, plan, concurrency: 2, batchSize: 2 }),
        first.cursor,
      );
      expect([...ids(first.pages), ...ids(rest.pages)]).toEqual(expected);
    }
  });

  it('when practices are prefetched, then each financials page is requested once', async () => {
    const { client, calls } = fakeApi(orders, 2);
    await drain(ordersFetcher({ client, plan, concurrency: 4, batchSize: 3 }));
    const financials = calls.filter((c) => c.startsWith('financials'));
    expect(new Set(financials).size).toBe(financials.length);
    expect(calls.filter((c) => c.startsWith('practices'))).toEqual([
      'practices@0',
      'practices@2',
      'practices@4',
    ]);
  });
});

describe('orders checkpoint cursor', () => {
  it('when a position is encoded, then it decodes to the same position', () => {
    const at = { practicesCursor: 'abc', practiceIndex: 7, financialsCursor: null };
    expect(decodeOrdersCursor(encodeOrdersCursor(at))).toEqual(at);
    expect(decodeOrdersCursor(null)).toEqual({
      practicesCursor: null,
      practiceIndex: 0,
      financialsCursor: null,
    });
  });

  it('when a cursor is not ours, then it is refused', () => {
    expect(() => decodeOrdersCursor('not-a-cursor')).toThrow(/not an orders checkpoint cursor/);
  });
});
