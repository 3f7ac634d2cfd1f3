import { planRequests } from '../src/domain/requests';
import { parseRepcardPage } from '../src/data-access/repcard-page';

const now = new Date('2026-03-10T12:00:00Z');
const base = { now, historyStart: '2015-01-01', overlapDays: 1, perPage: 100 };

describe('RepCard request planning', () => {
  it('when a full sync runs, then customers are unfiltered and date-windowed entities read all history up to tomorrow', () => {
    expect(
      planRequests({
        ...base,
        entity: 'customers',
        command: { mode: 'full', window: { from: null, to: null } },
        highWaterMark: null,
      }).query,
    ).toEqual({ per_page: 100 });
    expect(
      planRequests({
        ...base,
        entity: 'appointments',
        command: { mode: 'full', window: { from: null, to: null } },
        highWaterMark: null,
      }).query,
    ).toEqual({ per_page: 100, from_date: '2015-01-01', to_date: '2026-03-11' });
  });

  it('when an incremental sync runs, then the window starts a day before the high-water mark, inclusive, and ends tomorrow', () => {
    const hwm = '2026-03-08T17:00:00.000Z';
    expect(
      planRequests({
        ...base,
        entity: 'customers',
        command: { mode: 'incremental', window: { from: null, to: null } },
        highWaterMark: hwm,
      }).query,
    ).toEqual({ per_page: 100, last_updated_from: '2026-03-07', last_updated_to: '2026-03-11' });
    expect(
      planRequests({
        ...base,
        entity: 'status_logs',
        command: { mode: 'incremental', window: { from: null, to: null } },
        highWaterMark: hwm,
      }).query,
    ).toEqual({ per_page: 100, from_date: '2026-03-07', to_date: '2026-03-11' });
  });

  it('when users or offices are planned, then they are read whole whatever the mode', () => {
    expect(
      planRequests({
        ...base,
        entity: 'users',
        command: { mode: 'incremental', window: { from: '2026-01-01', to: null } },
        highWaterMark: '2026-03-01T00:00:00Z',
      }),
    ).toEqual({ path: '/users/minimal', query: { per_page: 100 }, describe: 'whole' });
  });

  it('when an explicit window is given, then its end date is included by asking one day more', () => {
    expect(
      planRequests({
        ...base,
        entity: 'appointments',
        command: { mode: 'full', window: { from: '2025-01-01', to: '2025-12-31' } },
        highWaterMark: null,
      }).query,
    ).toEqual({ per_page: 100, from_date: '2025-01-01', to_date: '2026-01-01' });
  });

  it('when a page is parsed, then totalPages is read (not lastPage), and the Laravel paginator is understood', () => {
    expect(
      parseRepcardPage(
        { status: 1, result: { data: [{ id: 1 }], totalPages: 7, lastPage: 1, currentPage: 1 } },
        1,
      ),
    ).toEqual({ records: [{ id: 1 }], totalPages: 7 });
    expect(parseRepcardPage({ current_page: 2, data: [{ id: 2 }], last_page: 3 }, 2)).toEqual({
      records: [{ id: 2 }],
      totalPages: 3,
    });
    expect(() => parseRepcardPage({ nope: true }, 1)).toThrow(/unknown envelope/);
  });
});
