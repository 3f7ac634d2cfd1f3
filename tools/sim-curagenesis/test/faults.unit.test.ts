import { CuragenesisOrderSchema, CuragenesisPracticeSchema } from '@tributary/contracts';
import { FINANCIALS_PATH, PRACTICES_PATH } from '../src';
import { readAll, startSim, type Running } from './helpers';

describe('fault injection', () => {
  let run: Running;
  beforeEach(async () => {
    run = await startSim({ practices: 60, orders: 900 });
  });
  afterEach(async () => {
    await run.sim.stop();
  });

  test('when a 503 burst of 2 is set, then the next two requests fail and the third succeeds', async () => {
    run.sim.setFaults({ bursts: { status: 503, count: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await run.get(PRACTICES_PATH)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(run.sim.stats()).toMatchObject({
      requests: { practices: 3 },
      statusClasses: { '2xx': 1, '5xx': 2 },
      statuses: { practices: { '200': 1, '503': 2 } },
      faults: { burst: 2 },
    });
  });

  test('when a burst waits for K requests and targets one endpoint, then only that endpoint fails after K', async () => {
    run.sim.setFaults({ bursts: [{ status: 500, count: 1, afterRequests: 1, endpoint: 'financials' }] });
    const fin = `${FINANCIALS_PATH}?practiceId=PR-000001`;
    const statuses = [
      (await run.get(PRACTICES_PATH)).status,
      (await run.get(fin)).status,
      (await run.get(PRACTICES_PATH)).status,
      (await run.get(fin)).status,
      (await run.get(fin)).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 500, 200]);
  });

  test('when latency with jitter is set, then each request takes at least the latency', async () => {
    run.sim.setFaults({ latency: { ms: 60, jitterMs: 20 } });
    const started = performance.now();
    await run.get(PRACTICES_PATH);
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    expect(run.sim.stats().faults.latency).toBe(1);
  });

  test('when records are malformed by id and by rate, then the API serves them broken and isMalformed says so', async () => {
    run.sim.setFaults({
      malformed: { practiceIds: ['PR-000003'], orderIds: ['ORD-0000002'], rate: 0.2, kinds: ['order'] },
    });
    const dataset = run.sim.dataset;
    const { items: practices } = await readAll(run, `${PRACTICES_PATH}?page_size=500`);
    const broken = practices.filter((p, i) => JSON.stringify(p) !== JSON.stringify(dataset.practice(i)));
    expect(broken.map((p) => p.practiceId)).toEqual(['PR-000003']);
    expect(dataset.isMalformed('practice', 'PR-000003')).toBe(true);
    expect(dataset.isMalformed('practice', 'PR-000004')).toBe(false);

    let malformedOrders = 0;
    for (const p of dataset.iteratePractices()) {
      const { items } = await readAll(run, `${FINANCIALS_PATH}?practiceId=${p.practiceId}&page_size=500`);
      const truth = dataset.ordersOfPractice(p.practiceId);
      items.forEach((served, k) => {
        const isBroken = JSON.stringify(served) !== JSON.stringify(truth[k]);
        expect(isBroken).toBe(dataset.isMalformed('order', served.order_id));
        expect(served.order_id).toBe(truth[k]!.order_id);
        if (isBroken) malformedOrders++;
      });
    }
    expect(dataset.isMalformed('order', 'ORD-0000002')).toBe(true);
    expect(malformedOrders / 900).toBeGreaterThan(0.1);
    expect(malformedOrders / 900).toBeLessThan(0.3);
    expect(run.sim.stats().faults.malformed).toBe(malformedOrders + 1);
  });

  test('when records are malformed, then even the lenient contract schemas reject them and accept the rest', async () => {
    run.sim.setFaults({ malformed: { rate: 0.5 } });
    const dataset = run.sim.dataset;
    const { items: practices } = await readAll(run, `${PRACTICES_PATH}?page_size=500`);
    for (const p of practices) {
      expect(CuragenesisPracticeSchema.safeParse(p).success).toBe(
        !dataset.isMalformed('practice', p.practiceId),
      );
    }
    const { items: orders } = await readAll(run, `${FINANCIALS_PATH}?repId=REP-001&page_size=500`);
    expect(orders.length).toBeGreaterThan(50);
    for (const o of orders) {
      expect(CuragenesisOrderSchema.safeParse(o).success).toBe(!dataset.isMalformed('order', o.order_id));
    }
  });

  test('when the same malformed rate is set again, then the same records are malformed (deterministic)', () => {
    run.sim.setFaults({ malformed: { rate: 0.1 } });
    const first = [...run.sim.dataset.iterateOrders()].filter((o) =>
      run.sim.dataset.isMalformed('order', o.order_id),
    );
    run.sim.setFaults({});
    expect(run.sim.dataset.isMalformed('order', first[0]!.order_id)).toBe(false);
    run.sim.setFaults({ malformed: { rate: 0.1 } });
    const second = [...run.sim.dataset.iterateOrders()].filter((o) =>
      run.sim.dataset.isMalformed('order', o.order_id),
    );
    expect(second).toEqual(first);
  });

  test('when changeDuringSync is set for after 2 requests, then the third page already sees the mutation', async () => {
    run.sim.setFaults({
      changeDuringSync: {
        afterRequests: 2,
        mutation: { at: '2026-01-05T00:00:00Z', practices: { update: ['PR-000001'], insert: 1 } },
      },
    });
    const { items, pages } = await readAll(run, `${PRACTICES_PATH}?page_size=20`);
    expect(pages).toHaveLength(4); // 61 practices: the inserted one shows up on a fourth page
    expect(items.map((p) => p.practiceId)).toContain('PR-000061');
    expect(items[0].updatedAt).not.toBe('2026-01-05T00:00:00.000Z'); // page 1 was read before the change
    expect(run.sim.dataset.practice(0).updatedAt).toBe('2026-01-05T00:00:00.000Z');
    expect(run.sim.stats().faults.changeDuringSync).toBe(1);
  });

  test('when faults are invalid, then setFaults throws and the admin endpoint answers 400', async () => {
    expect(() => run.sim.setFaults({ bursts: { status: 200, count: 1 } })).toThrow();
    const res = await fetch(`${run.url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latency: { ms: -1 } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/latency/);
  });
});

describe('admin endpoints', () => {
  let run: Running;
  beforeEach(async () => {
    run = await startSim({ practices: 30, orders: 300 });
  });
  afterEach(async () => {
    await run.sim.stop();
  });
  const post = (url: string, body?: unknown, method = 'POST') =>
    fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test('when faults are set over HTTP, then the API applies them and GET /__sim/faults shows them', async () => {
    expect((await post(`${run.url}/__sim/faults`, { bursts: { status: 502, count: 1 } }, 'PUT')).status).toBe(
      200,
    );
    expect(await (await fetch(`${run.url}/__sim/faults`)).json()).toEqual({
      bursts: { status: 502, count: 1 },
    });
    expect((await run.get(PRACTICES_PATH)).status).toBe(502);
    expect((await post(`${run.url}/__sim/faults`, undefined, 'DELETE')).status).toBe(200);
    expect((await run.get(PRACTICES_PATH)).status).toBe(200);
  });

  test('when mutate is posted, then it answers what changed and the API serves it', async () => {
    const res = await post(`${run.url}/__sim/mutate`, { orders: { insert: 2, practiceId: 'PR-000002' } });
    const body = (await res.json()) as { orders: { inserted: string[] } };
    expect(body.orders.inserted).toEqual(['ORD-0000301', 'ORD-0000302']);
    const { items } = await readAll(run, `${FINANCIALS_PATH}?practiceId=PR-000002`);
    expect(items.slice(-2).map((o) => o.order_id)).toEqual(['ORD-0000301', 'ORD-0000302']);
    const bad = await post(`${run.url}/__sim/mutate`, { practices: { update: ['PR-999999'] } });
    expect(bad.status).toBe(400);
    expect((await post(`${run.url}/__sim/mutate`, { nonsense: true })).status).toBe(400);
  });

  test('when stats are read and reset, then admin calls are not counted and reset zeroes them', async () => {
    await run.get(PRACTICES_PATH);
    await run.get(`${FINANCIALS_PATH}`);
    const stats = await (await fetch(`${run.url}/__sim/stats`)).json();
    expect(stats).toMatchObject({
      total: 2,
      requests: { practices: 1, financials: 1 },
      statusClasses: { '2xx': 1, '4xx': 1 },
    });
    expect((await post(`${run.url}/__sim/reset-stats`)).status).toBe(200);
    expect(run.sim.stats().total).toBe(0);
  });

  test('when health is asked, then it answers ok with the data set size', async () => {
    const health = await (await fetch(`${run.url}/__sim/health`)).json();
    expect(health).toEqual({
      status: 'ok',
      dataset: { practices: 30, orders: 300, reps: 2, seed: 7, now: '2026-01-01T00:00:00.000Z' },
    });
  });
});
