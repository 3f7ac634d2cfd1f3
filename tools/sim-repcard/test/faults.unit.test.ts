import { createRepcardSimulator, type SimFaults } from '../src/index';
import { waitFor } from '@tributary/testkit';
import { startSim, type Running } from './helpers';

describe('faults', () => {
  let running: Running | undefined;
  afterEach(async () => {
    await running?.sim.stop();
    running = undefined;
  });

  it('when malformedIds and malformedIndices are set, then exactly those records arrive broken', async () => {
    running = await startSim({ seed: 9, size: 1_000 });
    const ds = running.sim.dataset;
    const brokenId = ds.idOf('customers', 3) as number;
    running.sim.setFaults({
      malformedIds: { customers: [brokenId] },
      malformedIndices: { status_logs: [0, 5] },
    });
    const customers = (await running.json('/customers?per_page=10')).result.data;
    customers.forEach((c, i) => {
      if (i === 3) expect(c.id === undefined || typeof c.id === 'string').toBe(true);
      else expect(typeof c.id).toBe('number');
    });
    expect(ds.isMalformed('customers', 3)).toBe(true);
    expect(ds.malformedIndices('status_logs')).toEqual([0, 5]);
    const logs = (await running.json('/customers/status-logs?per_page=6')).result.data;
    expect(logs.map((l) => typeof l._id === 'string')).toEqual([false, true, true, true, true, false]);
    expect(running.sim.stats().malformedServed).toBe(3);
  });

  it('when malformedRate is set, then the same records break on every run and dataset says which', async () => {
    running = await startSim({ seed: 9, size: 2_000, faults: { malformedRate: 0.05 } });
    const ds = running.sim.dataset;
    const broken = ds.malformedIndices('customers');
    expect(broken.length).toBeGreaterThan(10);
    expect(broken.length).toBeLessThan(70);
    const twin = await startSim({ seed: 9, size: 2_000, faults: { malformedRate: 0.05 } });
    expect(twin.sim.dataset.malformedIndices('customers')).toEqual(broken);
    await twin.sim.stop();
    const data = (await running.json('/customers?per_page=250')).result.data;
    data.forEach((c, i) => expect(typeof c.id === 'number').toBe(!broken.includes(i)));
    expect(ds.record('customers', broken[0]!)).not.toEqual(ds.cleanRecord('customers', broken[0]!));
  });

  it('when soft malformation kinds are enabled, then foreign keys or timestamps break instead', async () => {
    running = await startSim({
      faults: {
        malformedIndices: { customers: [0, 1, 2, 3, 4, 5] },
        malformedKinds: ['fk-as-string', 'bad-timestamp'],
      },
    });
    const ds = running.sim.dataset;
    for (let i = 0; i < 6; i++) {
      const r = ds.record('customers', i);
      expect(typeof r.id).toBe('number');
      expect(typeof r.userId === 'string' || r.createdAt === '0000-00-00 00:00:00').toBe(true);
    }
  });

  it('when an error burst is set, then N consecutive 5xx answers come, then normal ones', async () => {
    running = await startSim({ faults: { errorBurst: { status: 503, count: 3 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await running.get('/offices')).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
    expect(running.sim.stats()).toMatchObject({ injected5xx: 3, byStatusClass: { '5xx': 3, '2xx': 2 } });
  });

  it('when a burst repeats every M requests after K, then it recurs; 500 is JSON and 502 is HTML', async () => {
    running = await startSim({ faults: { errorBurst: { status: 502, count: 1, every: 3, after: 1 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await running.get('/offices')).status);
    expect(statuses).toEqual([200, 502, 200, 200, 502, 200, 200]);
    running.sim.setFaults({ errorBurst: { status: 502, count: 1 } });
    const html = await running.get('/offices');
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    running.sim.setFaults({ errorBurst: { status: 500, count: 1 } });
    const json = await running.get('/offices');
    expect(await json.json()).toEqual({ status: 0, statusCode: 500, message: 'Server Error', result: {} });
  });

  it('when timeoutRate is 1, then the request hangs and the socket drops, counted as a timeout', async () => {
    running = await startSim({ faults: { timeoutRate: 1, timeoutMs: 50 } });
    await expect(running.get('/offices')).rejects.toThrow();
    await waitFor(() => running!.sim.stats().inFlight === 0, { timeoutMs: 2_000, intervalMs: 10 });
    expect(running.sim.stats()).toMatchObject({ timeouts: 1, totalRequests: 1, inFlight: 0 });
  });

  it('when latency is set, then answers take at least that long and concurrency is measured', async () => {
    running = await startSim({ latencyMs: 60 });
    const started = Date.now();
    await Promise.all([running.get('/offices'), running.get('/offices'), running.get('/offices')]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(running.sim.stats().maxInFlight).toBe(3);
  });

  it('when faults are invalid, then setFaults throws and keeps the old ones', () => {
    const sim = createRepcardSimulator({ faults: { timeoutRate: 0.5 } });
    const bad = JSON.parse('{"errorBurst":{"status":404,"count":1}}') as SimFaults;
    expect(() => sim.setFaults(bad)).toThrow(/invalid faults/);
    expect(sim.getFaults()).toEqual({ timeoutRate: 0.5 });
  });
});
