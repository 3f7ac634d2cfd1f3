import { readAll, startSim, type Running } from './helpers';

describe('removals (a deletion at the source)', () => {
  let running: Running | undefined;
  afterEach(async () => {
    await running?.sim.stop();
    running = undefined;
  });

  it('when customers are removed by index and by id, then no page lists them and the total shrinks', async () => {
    running = await startSim({ seed: 4, size: 2_000 });
    const ds = running.sim.dataset;
    const total = ds.count('customers');
    const gone = [ds.idOf('customers', 3), ds.idOf('customers', 40)];
    const result = running.sim.mutate({ entity: 'customers', remove: [3], removeIds: [gone[1]!] });
    expect(result.removed).toEqual([3, 40]);
    const { records } = await readAll(running, '/customers', 100);
    expect(records).toHaveLength(total - 2);
    const ids = new Set(records.map((r) => r.id));
    expect(gone.some((id) => ids.has(id))).toBe(false);
    const body = await running.json('/customers');
    expect(body.result.totalCount).toBe(total - 2);
  });

  it('when an appointment is removed, then a date window that held it no longer does', async () => {
    running = await startSim({ seed: 4, size: 2_000 });
    const ds = running.sim.dataset;
    const { records: before } = await readAll(running, '/appointments', 250);
    running.sim.mutate({ entity: 'appointments', remove: [0] });
    const { records: after } = await readAll(running, '/appointments', 250);
    expect(after).toHaveLength(before.length - 1);
    expect(after.map((r) => r.id)).not.toContain(ds.idOf('appointments', 0));
  });
});
