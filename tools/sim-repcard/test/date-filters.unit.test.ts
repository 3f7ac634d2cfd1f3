import { readAll, startSim, type Running } from './helpers';

const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('date filters', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startSim({ seed: 3, size: 4_000 });
  });
  afterAll(() => running.sim.stop());

  /** Indices whose timestamp (createdAt or updatedAt) lies in [from, to). */
  function truth(
    entity: 'customers' | 'appointments',
    field: 'createdAt' | 'updatedAt',
    from: number,
    to: number,
  ) {
    const ds = running.sim.dataset;
    const out: unknown[] = [];
    for (let i = 0; i < ds.count(entity); i++) {
      const t = ds.times(entity, i)!;
      const ms = t[field].getTime();
      if (ms >= from && ms < to) out.push(ds.idOf(entity, i));
    }
    return out;
  }

  it('when last_created_from/to are given, then from is inclusive and to is exclusive (UTC days)', async () => {
    const ds = running.sim.dataset;
    const created = ds.times('customers', 600)!.createdAt.getTime();
    const from = Math.floor(created / DAY) * DAY;
    const to = from + 3 * DAY;
    const { records } = await readAll(
      running,
      `/customers?last_created_from=${day(from)}&last_created_to=${day(to)}`,
    );
    expect(records.map((r) => r.id)).toEqual(truth('customers', 'createdAt', from, to));
    expect(records.map((r) => r.id)).toContain(ds.idOf('customers', 600));
    for (const r of records) {
      expect((r.createdAt as string) >= day(from)).toBe(true);
      expect((r.createdAt as string) < day(to)).toBe(true);
    }
    const sameDay = await running.json(
      `/customers?last_created_from=${day(from)}&last_created_to=${day(from)}`,
    );
    expect(sameDay.result.totalCount).toBe(0);
  });

  it.each([
    ['2024-03-01', '2024-03-15'],
    ['2025-06-01', '2025-09-01'],
    ['2025-12-20', '2026-01-02'],
    ['2023-01-01', '2024-02-01'],
  ])(
    'when last_updated_from=%s and to=%s, then exactly the records updated in that window arrive',
    async (f, t) => {
      const { records } = await readAll(
        running,
        `/customers?last_updated_from=${f}&last_updated_to=${t}`,
        250,
      );
      expect(records.map((r) => r.id)).toEqual(truth('customers', 'updatedAt', Date.parse(f), Date.parse(t)));
    },
  );

  it('when only last_updated_from is given, then the window is open-ended', async () => {
    const body = await running.json('/customers?last_updated_from=2025-12-01');
    expect(body.result.totalCount).toBe(
      truth('customers', 'updatedAt', Date.parse('2025-12-01'), Infinity).length,
    );
  });

  it('when from_date/to_date filter appointments, then they select by updatedAt by default', async () => {
    const { records } = await readAll(running, '/appointments?from_date=2025-02-01&to_date=2025-03-01', 250);
    expect(records.map((r) => r.id)).toEqual(
      truth('appointments', 'updatedAt', Date.parse('2025-02-01'), Date.parse('2025-03-01')),
    );
  });

  it('when dateFilterField is createdAt, then from_date/to_date select by createdAt', async () => {
    const other = await startSim({ seed: 3, size: 4_000, dateFilterField: 'createdAt' });
    try {
      const { records } = await readAll(other, '/appointments?from_date=2025-02-01&to_date=2025-03-01', 250);
      const ds = other.sim.dataset;
      const expected: unknown[] = [];
      for (let i = 0; i < ds.count('appointments'); i++) {
        const c = ds.times('appointments', i)!.createdAt.toISOString();
        if (c >= '2025-02-01' && c < '2025-03-01') expected.push(ds.idOf('appointments', i));
      }
      expect(records.map((r) => r.id)).toEqual(expected);
    } finally {
      await other.sim.stop();
    }
  });

  it('when a date is not YYYY-MM-DD, then it answers 422', async () => {
    const res = await running.get('/appointments?from_date=2025-13-01');
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ status: 0, statusCode: 422 });
  });

  it('when requireDateFilters is on and from_date is missing, then it answers 422', async () => {
    const strict = await startSim({ requireDateFilters: true });
    try {
      expect((await strict.get('/appointments')).status).toBe(422);
      expect((await strict.get('/customers/status-logs?from_date=2025-01-01')).status).toBe(422);
      expect((await strict.get('/appointments?from_date=2025-01-01&to_date=2025-02-01')).status).toBe(200);
    } finally {
      await strict.sim.stop();
    }
  });

  it('when customer_ids filters status logs, then only their logs arrive', async () => {
    const ds = running.sim.dataset;
    const ids = [ds.idOf('customers', 10), ds.idOf('customers', 20)];
    const { records } = await readAll(running, `/customers/status-logs?customer_ids=${ids.join(',')}`);
    const expected = [...ds.iterate('status_logs')].filter((l) => ids.includes(l.customerId as number));
    expect(records).toEqual(expected);
  });
});
