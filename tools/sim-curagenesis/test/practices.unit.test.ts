import { PRACTICES_PATH } from '../src';
import { readAll, startSim, type Running } from './helpers';

describe('practices endpoint', () => {
  let run: Running;
  beforeEach(async () => {
    run = await startSim();
  });
  afterEach(async () => {
    await run.sim.stop();
  });

  test('when paging through every practice, then each is read exactly once and only the last page lacks nextCursor', async () => {
    const { items, pages } = await readAll(run, `${PRACTICES_PATH}?page_size=17`);
    const ids = items.map((p) => p.practiceId);
    expect(ids).toHaveLength(run.sim.dataset.countPractices());
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.length).toBe(Math.ceil(120 / 17));
    pages.slice(0, -1).forEach((page) => expect(typeof page.nextCursor).toBe('string'));
    expect(pages[pages.length - 1]).not.toHaveProperty('nextCursor');
  });

  test('when the page size divides the count exactly, then the last full page still has no nextCursor', async () => {
    const { pages } = await readAll(run, `${PRACTICES_PATH}?page_size=40`);
    expect(pages.map((p) => p.items.length)).toEqual([40, 40, 40]);
    expect(pages[2]).not.toHaveProperty('nextCursor');
  });

  test('when practices are served, then they equal the dataset records field for field', async () => {
    const { items } = await readAll(run, `${PRACTICES_PATH}?page_size=500`);
    expect(items).toEqual([...run.sim.dataset.iteratePractices()]);
    for (const p of items) {
      expect(p.practiceId).toMatch(/^PR-\d{6}$/);
      expect(p.state).toMatch(/^[A-Z]{2}$/);
      expect(p.activatedAtIso).toBe(p.activatedAt === null ? null : new Date(p.activatedAt).toISOString());
      expect(Date.parse(p.updatedAt)).toBeLessThanOrEqual(run.sim.dataset.now.getTime());
    }
    expect(items.some((p) => p.activatedAt === null)).toBe(true);
    expect(items.some((p) => p.curaIntakeId === null)).toBe(true);
  });

  test('when no page_size is given, then pages hold 100 practices; above 500 it is capped', async () => {
    expect((await run.get(PRACTICES_PATH)).body.items).toHaveLength(100);
    const big = await startSim({ practices: 700, orders: 100 });
    try {
      expect((await big.get(`${PRACTICES_PATH}?page_size=9999`)).body.items).toHaveLength(500);
    } finally {
      await big.sim.stop();
    }
  });

  test('when page_size or the cursor is garbage, then the answer is 400 with a message', async () => {
    for (const query of ['page_size=0', 'page_size=abc', 'cursor=not-a-cursor', 'updated_since=yesterday']) {
      const res = await run.get(`${PRACTICES_PATH}?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(expect.any(String));
    }
  });

  test('when a cursor of one query is used with another, then the answer is 400', async () => {
    const first = await run.get(`${PRACTICES_PATH}?page_size=10`);
    const res = await run.get(`${PRACTICES_PATH}?updated_since=2020-01-01&cursor=${first.body.nextCursor}`);
    expect(res.status).toBe(400);
  });

  test('when updated_since is given, then exactly the practices with updatedAt >= it are listed', async () => {
    const since = '2025-12-01T00:00:00.000Z';
    const { items } = await readAll(run, `${PRACTICES_PATH}?page_size=7&updated_since=${since}`);
    const expected = [...run.sim.dataset.iteratePractices()].filter((p) => p.updatedAt >= since);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(120);
    expect(items).toEqual(expected);
  });

  test('when practices are mutated after the last sync, then updated_since returns only those, with updatedAt = mutation time', async () => {
    const now = run.sim.dataset.now.toISOString();
    const result = run.sim.mutate({
      at: '2026-01-02T10:00:00Z',
      practices: { update: ['PR-000005', 'PR-000050'], insert: 2 },
    });
    expect(result.practices.inserted).toEqual(['PR-000121', 'PR-000122']);
    const { items } = await readAll(run, `${PRACTICES_PATH}?updated_since=${encodeURIComponent(now)}`);
    expect(items.map((p) => p.practiceId)).toEqual(['PR-000005', 'PR-000050', 'PR-000121', 'PR-000122']);
    expect(items.every((p) => p.updatedAt === '2026-01-02T10:00:00.000Z')).toBe(true);
    expect(items[2]).toMatchObject({ activatedAt: null, totalOrders: 0 });
    const all = await readAll(run, PRACTICES_PATH);
    expect(all.items).toHaveLength(122);
  });

  test('when an update is applied, then the practice keeps its ids and changes its updatedAt', async () => {
    const before = run.sim.dataset.practiceById('PR-000009')!;
    run.sim.mutate({ practices: { update: ['PR-000009'] } });
    const after = run.sim.dataset.practiceById('PR-000009')!;
    expect(after).toMatchObject({
      practiceId: before.practiceId,
      userId: before.userId,
      totalOrders: before.totalOrders,
    });
    expect(after.updatedAt > before.updatedAt).toBe(true);
    expect(after.updatedAt > run.sim.dataset.now.toISOString()).toBe(true);
  });
});

describe('authentication', () => {
  test('when the key is missing or wrong, then the answer is 401 {"error":"unauthorized"}', async () => {
    const run = await startSim();
    try {
      const headerSets: Record<string, string>[] = [
        {},
        { 'x-vendor-key': 'nope' },
        { 'x-vendor-token': 'test-key' },
      ];
      for (const headers of headerSets) {
        const res = await run.get(PRACTICES_PATH, headers);
        expect(res).toEqual({ status: 401, body: { error: 'unauthorized' } });
      }
      expect((await run.get('/api/partner/v1/financials?practiceId=PR-000001', {})).status).toBe(401);
      expect(run.sim.stats().statusClasses['4xx']).toBe(4);
    } finally {
      await run.sim.stop();
    }
  });

  test('when the older deployment header is configured, then x-vendor-token is the one accepted', async () => {
    const run = await startSim({ authHeader: 'x-vendor-token' });
    try {
      expect((await run.get(PRACTICES_PATH, { 'x-vendor-token': 'test-key' })).status).toBe(200);
      expect((await run.get(PRACTICES_PATH, { 'x-vendor-key': 'test-key' })).status).toBe(401);
    } finally {
      await run.sim.stop();
    }
  });

  test('when no apiKey option is given, then the default key works and admin routes need none', async () => {
    const run = await startSim({ apiKey: undefined });
    try {
      expect((await run.get(PRACTICES_PATH, { 'x-vendor-key': 'sim-curagenesis-key' })).status).toBe(200);
      expect((await run.get('/__sim/health', {})).body).toMatchObject({ status: 'ok' });
    } finally {
      await run.sim.stop();
    }
  });
});
