import { readAll, startSim, type Running } from './helpers';

describe('mutations', () => {
  let running: Running | undefined;
  afterEach(async () => {
    await running?.sim.stop();
    running = undefined;
  });

  it('when a customer is updated, then last_updated_from returns it with a new field value', async () => {
    running = await startSim({ seed: 4, size: 2_000 });
    const before = running.sim.dataset.record('customers', 17);
    const result = running.sim.mutate({ entity: 'customers', update: [17] });
    expect(result).toEqual({
      entity: 'customers',
      updated: [17],
      inserted: [],
      at: '2026-01-01T00:00:00.000Z',
    });
    const body = await running.json('/customers?last_updated_from=2026-01-01');
    expect(body.result.totalCount).toBe(1);
    const after = body.result.data[0]!;
    expect(after.id).toBe(before.id);
    expect(after.updatedAt).toBe('2026-01-01T00:00:00.000000Z');
    expect(after.statusId).not.toBe(before.statusId);
    expect(after.createdAt).toBe(before.createdAt);
    const window = await running.json('/customers?last_updated_from=2024-01-01&last_updated_to=2026-01-01');
    expect(window.result.totalCount).toBe(running.sim.dataset.count('customers') - 1);
  });

  it('when records are inserted, then they are appended with createdAt = at and listed last', async () => {
    running = await startSim({ seed: 4, size: 2_000 });
    const ds = running.sim.dataset;
    const base = ds.count('appointments');
    const result = running.sim.mutate({ entity: 'appointments', insert: 2, at: '2026-01-05T10:00:00Z' });
    expect(result.inserted).toEqual([base, base + 1]);
    expect(ds.count('appointments')).toBe(base + 2);
    const { records } = await readAll(running, '/appointments', 250);
    expect(records).toHaveLength(base + 2);
    expect(records[base]).toMatchObject({ createdAt: '2026-01-05T10:00:00.000000Z' });
    const recent = await running.json('/appointments?from_date=2026-01-05&to_date=2026-01-06');
    expect(recent.result.data.map((r) => r.id)).toEqual([
      ds.idOf('appointments', base),
      ds.idOf('appointments', base + 1),
    ]);
    const customerIds = new Set([...ds.iterate('customers')].map((c) => c.id));
    expect(customerIds.has((records[base]!.contact as { id: number }).id)).toBe(true);
  });

  it('when a mutation names an unknown id, then it throws and changes nothing', () => {
    return startSim().then(async (r) => {
      running = r;
      expect(() => r.sim.mutate({ entity: 'customers', update: [0], updateIds: [1] })).toThrow(
        /no customers record/,
      );
      expect(r.sim.dataset.updatedIndices('customers')).toEqual([]);
    });
  });

  it('when shiftDuringSync fires inside a bounded window, then a page-by-page reader misses a record', async () => {
    running = await startSim({ seed: 4, size: 2_000 });
    const path = '/customers?last_updated_from=2024-01-01&last_updated_to=2026-01-01';
    const total = (await running.json(path)).result.totalCount;
    running.sim.setFaults({ shiftDuringSync: { entity: 'customers', afterRequests: 1, update: 1 } });
    const { records } = await readAll(running, path, 100);
    expect(running.sim.dataset.updatedIndices('customers')).toHaveLength(1);
    // The updated record was read on page 1 and then left the window: every later page moved up by
    // one, so the first record of page 2 was never seen.
    expect(records.length).toBe(total - 1);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    const missed = running.sim.dataset.idOf(
      'customers',
      running.sim.dataset.indexOfId('customers', records[99]!.id as number)! + 1,
    );
    expect(records.map((r) => r.id)).not.toContain(missed);
  });

  it('when mutations and faults arrive over the admin HTTP API, then they apply', async () => {
    running = await startSim({ seed: 4, size: 1_000 });
    const admin = running.url.replace(/\/api$/, '/__sim');
    const post = (path: string, body: unknown) =>
      fetch(`${admin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(await (await fetch(`${admin}/health`)).json()).toMatchObject({ ok: true });
    const mutated = await post('/mutate', {
      entity: 'customers',
      updateIds: [running.sim.dataset.idOf('customers', 2)],
    });
    expect(await mutated.json()).toMatchObject({ ok: true, updated: [2] });
    expect((await post('/mutate', { entity: 'nope' })).status).toBe(400);
    expect((await post('/faults', { errorBurst: { status: 500, count: 1 } })).status).toBe(200);
    expect((await running.get('/offices')).status).toBe(500);
    const stats = await (await fetch(`${admin}/stats`)).json();
    expect(stats).toMatchObject({ totalRequests: 1, injected5xx: 1 });
    expect((await post('/reset-stats', {})).status).toBe(200);
    expect(running.sim.stats().totalRequests).toBe(0);
    expect((await post('/faults', { bogus: true })).status).toBe(400);
  });
});
