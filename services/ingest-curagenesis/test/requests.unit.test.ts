import { planOrders, planPractices } from '../src/domain/requests';

const full = { mode: 'full' as const, window: { from: null, to: null } };
const incremental = { mode: 'incremental' as const, window: { from: null, to: null } };
const hwm = '2026-03-10T00:30:00.000Z';

describe('planPractices', () => {
  it('when the sync is full, then every practice is asked for', () => {
    expect(
      planPractices({ command: full, highWaterMark: hwm, overlapMinutes: 60, pageSize: 200 }).query,
    ).toEqual({ page_size: 200 });
  });

  it('when the sync is incremental, then updated_since is the last run start minus the overlap', () => {
    expect(
      planPractices({ command: incremental, highWaterMark: hwm, overlapMinutes: 60, pageSize: 200 }).query,
    ).toEqual({
      page_size: 200,
      updated_since: '2026-03-09T23:30:00.000Z',
    });
  });

  it('when an incremental sync has no high-water mark yet, then it reads everything', () => {
    expect(
      planPractices({ command: incremental, highWaterMark: null, overlapMinutes: 60, pageSize: 200 }).query,
    ).toEqual({ page_size: 200 });
  });
});

describe('planOrders', () => {
  it('when the sync is incremental, then from is the date of the last run start minus the overlap (inclusive day)', () => {
    const plan = planOrders({ command: incremental, highWaterMark: hwm, overlapMinutes: 60, pageSize: 200 });
    expect(plan.financialsQuery).toEqual({ page_size: 200, from: '2026-03-09' });
    expect(plan.practicesQuery).toEqual({ page_size: 200 });
  });

  it('when the sync is full, then no date filter is sent', () => {
    expect(
      planOrders({ command: full, highWaterMark: hwm, overlapMinutes: 60, pageSize: 200 }).financialsQuery,
    ).toEqual({ page_size: 200 });
  });

  it('when an explicit window is given, then it wins and its inclusive end becomes an exclusive to', () => {
    const command = { mode: 'incremental' as const, window: { from: '2025-01-01', to: '2025-01-31' } };
    expect(
      planOrders({ command, highWaterMark: hwm, overlapMinutes: 60, pageSize: 200 }).financialsQuery,
    ).toEqual({
      page_size: 200,
      from: '2025-01-01',
      to: '2025-02-01',
    });
  });
});
