import { startSim, type Running } from './helpers';

interface LaravelPage {
  current_page: number;
  data: Array<Record<string, unknown>>;
  last_page: number;
  next_page_url: string | null;
  per_page: number;
  total: number;
}

describe('per-customer sub-resources', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startSim({ seed: 21, size: 20_000 });
  });
  afterAll(() => running.sim.stop());

  function customerWithAttachments(min: number): number {
    const ds = running.sim.dataset;
    for (let c = 0; c < ds.count('customers'); c++)
      if (ds.childrenOf('customer_attachments', c).length >= min) return c;
    throw new Error('no such customer');
  }

  it('when a customer attachments page is requested, then it answers the bare Laravel paginator', async () => {
    const ds = running.sim.dataset;
    const customer = customerWithAttachments(3);
    const id = ds.idOf('customers', customer);
    const total = ds.childrenOf('customer_attachments', customer).length;
    const first = await running.json<LaravelPage>(`/customers/${id}/attachments?per_page=2`);
    expect(Object.keys(first).sort()).toEqual([
      'current_page',
      'data',
      'last_page',
      'next_page_url',
      'per_page',
      'total',
    ]);
    expect(first).toMatchObject({ current_page: 1, per_page: 2, total, last_page: Math.ceil(total / 2) });
    expect(first.next_page_url).toBe(`${running.url}/customers/${id}/attachments?page=2`);
    expect(first.data[0]).toEqual({
      id: expect.any(Number),
      attachmentUrl: expect.any(String),
      userId: expect.any(Number),
      customerId: id,
      title: expect.any(String),
      attachmentInfo: { fileName: expect.any(String) },
      createdAt: expect.stringMatching(/\.000000Z$/),
      updatedAt: expect.stringMatching(/\.000000Z$/),
    });
    const last = await running.json<LaravelPage>(
      `/customers/${id}/attachments?per_page=2&page=${first.last_page}`,
    );
    expect(last.next_page_url).toBeNull();
  });

  it('when a customer appointments page is requested, then it holds that customer appointments', async () => {
    const ds = running.sim.dataset;
    let customer = 0;
    while (ds.childrenOf('appointments', customer).length === 0) customer++;
    const id = ds.idOf('customers', customer);
    const page = await running.json<LaravelPage>(`/customers/${id}/appointments`);
    expect(page.total).toBe(ds.childrenOf('appointments', customer).length);
    for (const a of page.data) expect((a.contact as { id: number }).id).toBe(id);
  });

  it('when a UserTimeZone header is sent, then appointment times are rendered in that zone', async () => {
    const ds = running.sim.dataset;
    const plain = ds.record('appointments', 0);
    const body = await running.json('/appointments?per_page=1', { UserTimeZone: 'UTC' });
    const utc = body.result.data[0]!;
    expect(utc.startAtTimezone).toBe('UTC');
    expect(utc.startAt).not.toBe(plain.startAt);
  });
});
