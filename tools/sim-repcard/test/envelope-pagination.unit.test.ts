import { ENTITIES, type RepcardEntity } from '../src/index';
import { idKey, readAll, startSim, type Running } from './helpers';

const PATHS: Record<RepcardEntity, string> = {
  users: '/users/minimal',
  offices: '/offices',
  customers: '/customers',
  appointments: '/appointments',
  status_logs: '/customers/status-logs',
  customer_attachments: '/customers/attachments',
  appointment_attachments: '/appointments/attachments',
};

describe('envelope and pagination', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startSim({ seed: 7, size: 2_000 });
  });
  afterAll(() => running.sim.stop());

  it('when a list is requested, then it answers the RepCard envelope', async () => {
    const body = await running.json('/customers?per_page=5');
    expect(body).toEqual({
      status: 1,
      statusCode: 200,
      message: expect.any(String),
      result: { data: expect.any(Array), totalCount: 700, currentPage: 1, totalPages: 140 },
    });
    expect(body.result.data).toHaveLength(5);
  });

  it.each(ENTITIES)(
    'when every page of %s is read by totalPages, then exactly dataset.count unique records arrive in id order',
    async (entity) => {
      const { records, pages } = await readAll(running, PATHS[entity], 37);
      const count = running.sim.dataset.count(entity);
      expect(records).toHaveLength(count);
      expect(new Set(records.map(idKey)).size).toBe(count);
      expect(pages[0]?.result.totalPages).toBe(Math.max(1, Math.ceil(count / 37)));
      const last = pages[pages.length - 1];
      expect(last?.result.data).toHaveLength(count - 37 * (pages.length - 1));
      expect(records).toEqual([...running.sim.dataset.iterate(entity)]);
      const ids = records.map(idKey) as Array<number | string>;
      expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
    },
  );

  it('when the last page is partial, then it holds the remainder and currentPage echoes the page', async () => {
    const body = await running.json('/customers?page=8&per_page=100');
    expect(body.result.data).toHaveLength(0);
    const last = await running.json('/customers?page=7&per_page=100');
    expect(last.result).toMatchObject({ currentPage: 7, totalPages: 7, totalCount: 700 });
    expect(last.result.data).toHaveLength(100);
    const partial = await running.json('/customers?page=3&per_page=300');
    expect(partial.result).toMatchObject({ currentPage: 3, totalPages: 3 });
    expect(partial.result.data).toHaveLength(700 - 2 * 250);
  });

  it('when per_page is above the maximum or page is absent, then 250 and page 1 are used', async () => {
    const body = await running.json('/customers?per_page=1000');
    expect(body.result.data).toHaveLength(250);
    expect(body.result).toMatchObject({ currentPage: 1, totalPages: 3 });
    const defaults = await running.json('/customers');
    expect(defaults.result.data).toHaveLength(100);
  });

  it('when a customer is requested by id, then it answers the record, and 404 for an unknown id', async () => {
    const record = running.sim.dataset.record('customers', 42);
    const body = await running.json<{ status: number; result: unknown }>(`/customers/${String(record.id)}`);
    expect(body).toMatchObject({ status: 1, statusCode: 200, result: record });
    const missing = await running.get('/customers/1');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 0, statusCode: 404 });
  });

  it('when an unknown API path is requested, then it answers 404 JSON', async () => {
    const res = await running.get('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 0, statusCode: 404 });
  });
});
