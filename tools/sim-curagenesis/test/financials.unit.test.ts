import { FINANCIALS_PATH, PRACTICES_PATH } from '../src';
import { readAll, startSim, type Running } from './helpers';

describe('financials endpoint', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startSim();
  });
  afterAll(async () => {
    await run.sim.stop();
  });

  test('when no selector is given, then the answer is 400 naming the selectors', async () => {
    const res = await run.get(`${FINANCIALS_PATH}?page_size=10`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      /exactly one selector of practiceId \| userId \| orderId \| invoiceId \| email \| repId/,
    );
  });

  test('when two selectors are given, then the answer is 400 naming both', async () => {
    const res = await run.get(`${FINANCIALS_PATH}?practiceId=PR-000001&repId=REP-001`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/got 2: practiceId, repId/);
  });

  test('when a selector is repeated or empty, then the answer is 400', async () => {
    expect((await run.get(`${FINANCIALS_PATH}?practiceId=PR-000001&practiceId=PR-000002`)).status).toBe(400);
    expect((await run.get(`${FINANCIALS_PATH}?practiceId=`)).status).toBe(400);
  });

  test('when the orders of each practice are read, then they match the dataset and totalOrders agrees', async () => {
    const dataset = run.sim.dataset;
    const { items: practices } = await readAll(run, `${PRACTICES_PATH}?page_size=500`);
    const seen = new Set<string>();
    for (const practice of practices.slice(0, 40)) {
      const { items } = await readAll(
        run,
        `${FINANCIALS_PATH}?practiceId=${practice.practiceId}&page_size=25`,
      );
      expect(items).toEqual(dataset.ordersOfPractice(practice.practiceId));
      expect(items).toHaveLength(practice.totalOrders);
      for (const o of items) {
        expect(o.practice_id).toBe(practice.practiceId);
        seen.add(o.order_id);
      }
    }
    expect(seen.size).toBe(practices.slice(0, 40).reduce((n, p) => n + p.totalOrders, 0));
  });

  test('when every practice is synced, then every order is read exactly once and totals add up', async () => {
    const dataset = run.sim.dataset;
    let total = 0;
    const ids = new Set<string>();
    for (const practice of dataset.iteratePractices()) {
      total += practice.totalOrders;
      for (const order of dataset.ordersOfPractice(practice.practiceId)) ids.add(order.order_id);
    }
    expect(total).toBe(dataset.countOrders());
    expect(ids.size).toBe(dataset.countOrders());
    expect([...dataset.iterateOrders()].map((o) => o.order_id).every((id) => ids.has(id))).toBe(true);
  });

  test('when orders are generated, then their fields are consistent', () => {
    const dataset = run.sim.dataset;
    const practices = new Map([...dataset.iteratePractices()].map((p) => [p.practiceId, p]));
    const problems: string[] = [];
    for (const o of dataset.iterateOrders()) {
      const practice = practices.get(o.practice_id);
      const items = dataset.orderItems(o.order_id);
      const cents = items.reduce((n, i) => n + Math.round(i.unitPrice * 100) * i.quantity, 0);
      const checks: [string, boolean][] = [
        ['activated practice', practice?.activatedAt != null],
        ['after activation', o.order_date_epoch_ms >= (practice?.activatedAt ?? Infinity)],
        ['before now', o.order_date_epoch_ms < dataset.now.getTime()],
        ['iso = epoch', new Date(o.order_date_epoch_ms).toISOString() === o.order_date],
        ['due', o.invoice_total_due === (o.paid ? 0 : o.total_amount)],
        ['items add up', cents === Math.round(o.total_amount * 100)],
        ['cogs < total', o.cost_of_goods < o.total_amount],
        [
          'rep',
          o.rep_id ===
            `REP-${String(((Number(o.practice_id.slice(3)) - 1) % dataset.countReps()) + 1).padStart(3, '0')}`,
        ],
      ];
      for (const [name, ok] of checks) if (!ok) problems.push(`${o.order_id}: ${name}`);
    }
    expect(problems).toEqual([]);
  });

  test('when the page size is not given, then pages hold 200 orders; above 500 it is capped', async () => {
    const rep = await run.get(`${FINANCIALS_PATH}?repId=REP-001`);
    expect(rep.body.items).toHaveLength(200);
    const capped = await run.get(`${FINANCIALS_PATH}?repId=REP-001&page_size=100000`);
    expect(capped.body.items.length).toBeLessThanOrEqual(500);
    expect(capped.body.items.length).toBeGreaterThan(200);
  });

  test('when selecting by repId, then the orders of every practice of that rep come, each once', async () => {
    const { items } = await readAll(run, `${FINANCIALS_PATH}?repId=REP-002&page_size=500`);
    const expected = [...run.sim.dataset.iterateOrders()].filter((o) => o.rep_id === 'REP-002');
    expect(items).toEqual(expected);
  });

  test('when selecting by userId, email, orderId or invoiceId, then the matching orders come', async () => {
    const dataset = run.sim.dataset;
    const practice = [...dataset.iteratePractices()].find((p) => p.totalOrders > 3)!;
    const orders = dataset.ordersOfPractice(practice.practiceId);
    expect((await readAll(run, `${FINANCIALS_PATH}?userId=${practice.userId}`)).items).toEqual(orders);
    const email = encodeURIComponent(dataset.emailOf(practice.practiceId));
    expect((await readAll(run, `${FINANCIALS_PATH}?email=${email}`)).items).toEqual(orders);
    const one = orders[1]!;
    expect((await run.get(`${FINANCIALS_PATH}?orderId=${one.order_id}`)).body).toEqual({ items: [one] });
    expect((await run.get(`${FINANCIALS_PATH}?invoiceId=${one.invoice_id}`)).body).toEqual({ items: [one] });
  });

  test('when the selector matches nothing, then the answer is an empty last page', async () => {
    for (const q of [
      'practiceId=PR-999999',
      'orderId=ORD-9999999',
      'repId=REP-999',
      'email=nobody@example.com',
    ]) {
      expect(await run.get(`${FINANCIALS_PATH}?${q}`)).toEqual({ status: 200, body: { items: [] } });
    }
  });

  test('when from and to are given, then from is inclusive and to exclusive on order_date', async () => {
    const dataset = run.sim.dataset;
    const practice = [...dataset.iteratePractices()].find((p) => p.totalOrders > 5)!;
    const orders = dataset.ordersOfPractice(practice.practiceId);
    const a = orders[1]!.order_date;
    const b = orders[4]!.order_date;
    const { items } = await readAll(
      run,
      `${FINANCIALS_PATH}?practiceId=${practice.practiceId}&from=${a}&to=${b}`,
    );
    expect(items.map((o) => o.order_id)).toEqual(orders.slice(1, 4).map((o) => o.order_id));
    const dateOnly = a.slice(0, 10);
    const { items: fromDay } = await readAll(
      run,
      `${FINANCIALS_PATH}?practiceId=${practice.practiceId}&from=${dateOnly}`,
    );
    expect(fromDay).toEqual(orders.filter((o) => o.order_date_epoch_ms >= Date.parse(dateOnly)));
  });

  test('when from/to are not ISO dates or from is after to, then the answer is 400', async () => {
    for (const q of ['from=last-week', 'to=2025-13-45x', 'from=2025-02-01&to=2025-01-01']) {
      expect((await run.get(`${FINANCIALS_PATH}?repId=REP-001&${q}`)).status).toBe(400);
    }
  });

  test('when a financials cursor is reused for another selector, then the answer is 400', async () => {
    const first = await run.get(`${FINANCIALS_PATH}?repId=REP-001&page_size=5`);
    const res = await run.get(`${FINANCIALS_PATH}?repId=REP-002&page_size=5&cursor=${first.body.nextCursor}`);
    expect(res.status).toBe(400);
  });
});
