import { startSim } from './helpers';

describe('one million records', () => {
  it('when the last page is requested, then it is fast and the heap stays small', async () => {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const running = await startSim({ seed: 1, size: 1_000_000 });
    try {
      const ds = running.sim.dataset;
      expect(Object.values(ds.counts()).reduce((a, b) => a + b)).toBe(1_000_000);
      const count = ds.count('customers');
      const pages = Math.ceil(count / 100);
      const started = Date.now();
      const body = await running.json(`/customers?page=${pages}&per_page=100`);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(body.result).toMatchObject({ totalCount: count, totalPages: pages, currentPage: pages });
      expect(body.result.data.at(-1)).toEqual(ds.record('customers', count - 1));
      const window = await running.json(
        '/customers?last_updated_from=2025-06-01&last_updated_to=2025-06-08&page=3',
      );
      expect(window.result.totalCount).toBeGreaterThan(1_000);
      const logs = await running.json(
        '/customers/status-logs?from_date=2025-12-31&to_date=2026-01-01&page=2',
      );
      expect(logs.result.data.length).toBeGreaterThan(0);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    } finally {
      await running.sim.stop();
    }
  });
});
