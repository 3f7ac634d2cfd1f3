import {
  backfillRequests,
  compareCounts,
  countAtSource,
  defaultSince,
  expectedDurationMs,
  planCuragenesis,
  planRepcard,
  runReconcile,
  statedTotal,
  windowsFrom,
  type JsonGetter,
  type ReconcileReport,
  type ReconcileRow,
} from '../src';
import { recordingGetter, type GetQuery } from '../../testkit/src/recording-getter';

const NOW = new Date('2026-03-15T10:00:00Z');

/** A source that answers `totalCount` from `count(path, query)` and practices pages from `practices`. */
function fakeSource(
  count: (path: string, query: GetQuery) => number,
  practices: Record<string, unknown>[][] = [],
): JsonGetter & { calls: string[] } {
  return recordingGetter((path, query) => {
    if (path.endsWith('/practices')) {
      const i = query.cursor ? Number(query.cursor) : 0;
      return {
        items: practices[i] ?? [],
        ...(i + 1 < practices.length ? { nextCursor: String(i + 1) } : {}),
      };
    }
    return { status: 1, result: { data: [], totalCount: count(path, query), totalPages: 1 } };
  });
}

describe('windows', () => {
  it('when months are asked from a mid-month date, then the first window is that whole month and the last holds today', () => {
    expect(windowsFrom('month', '2025-12-20', '2026-02-03')).toEqual([
      { label: '2025-12', from: '2025-12-01', to: '2026-01-01' },
      { label: '2026-01', from: '2026-01-01', to: '2026-02-01' },
      { label: '2026-02', from: '2026-02-01', to: '2026-03-01' },
    ]);
  });

  it('when days are asked, then each window is one day with an exclusive end', () => {
    expect(windowsFrom('day', '2026-02-27', '2026-03-01').map((w) => `${w.from}/${w.to}`)).toEqual([
      '2026-02-27/2026-02-28',
      '2026-02-28/2026-03-01',
      '2026-03-01/2026-03-02',
    ]);
  });

  it('when no --since is given, then months reach 11 back (12 rows) and days 30 back', () => {
    expect(defaultSince('month', NOW)).toBe('2025-04-01');
    expect(defaultSince('day', NOW)).toBe('2026-02-13');
  });
});

describe('compareCounts', () => {
  it('when both sides agree, then complete; when the source has more, then a gap of the difference', () => {
    expect(compareCounts(10, 10).verdict).toBe('complete');
    expect(compareCounts(12, 10)).toEqual({ verdict: 'gap', missing: 2, note: null });
  });

  it('when the source gives no count or the read model has more, then unknown, with why', () => {
    expect(compareCounts(null, 3).verdict).toBe('unknown');
    expect(compareCounts(3, 5)).toEqual({
      verdict: 'unknown',
      missing: 0,
      note: 'read model has 2 more (deleted or moved at the source?)',
    });
  });
});

describe('planRepcard', () => {
  const plan = planRepcard({
    by: 'month',
    since: '2026-01-10',
    now: NOW,
    historyStart: '2015-01-01',
    dateField: 'updated',
  });

  it('when planned by month, then every entity has a total and the dated ones one row per month, one request each', () => {
    const rows = plan.checks.map((c) => `${c.entity} ${c.window?.label ?? 'all'}`);
    expect(rows).toEqual([
      'users all',
      'offices all',
      'customers all',
      'customers 2026-01',
      'customers 2026-02',
      'customers 2026-03',
      'appointments all',
      'appointments 2026-01',
      'appointments 2026-02',
      'appointments 2026-03',
      'status_logs all',
      'status_logs 2026-01',
      'status_logs 2026-02',
      'status_logs 2026-03',
      'customer_attachments all',
      'appointment_attachments all',
    ]);
    expect(plan.requests).toBe(16);
    expect(plan.estimated).toBe(false);
  });

  it('when a window is asked, then customers use last_updated_* and the others from_date/to_date, per_page=1', () => {
    const customers = plan.checks.find((c) => c.entity === 'customers' && c.window?.label === '2026-02')!;
    expect(customers.source).toEqual({
      kind: 'request',
      path: '/customers',
      query: { per_page: 1, page: 1, last_updated_from: '2026-02-01', last_updated_to: '2026-03-01' },
    });
    expect(customers.readModel).toEqual({ column: 'updated_at', from: '2026-02-01', to: '2026-03-01' });
    const logsTotal = plan.checks.find((c) => c.entity === 'status_logs' && !c.window)!;
    expect(logsTotal.source).toMatchObject({ query: { from_date: '2015-01-01', to_date: '2026-03-16' } });
    expect(logsTotal.readModel).toEqual({ column: 'updated_at', from: '2015-01-01', to: '2026-03-16' });
    const users = plan.checks.find((c) => c.entity === 'users')!;
    expect(users.readModel).toBeNull();
  });

  it('when the date field is created and entities are named, then only those are planned, cut on created_at', () => {
    const p = planRepcard({
      by: 'day',
      since: '2026-03-14',
      now: NOW,
      historyStart: '2015-01-01',
      dateField: 'created',
      entities: ['customers'],
    });
    expect(p.checks.map((c) => c.window?.label ?? 'all')).toEqual(['all', '2026-03-14', '2026-03-15']);
    expect(p.checks[1]!.source).toMatchObject({ query: { last_created_from: '2026-03-14' } });
    expect(p.checks[1]!.readModel!.column).toBe('created_at');
  });
});

describe('planCuragenesis and the practices walk', () => {
  it('when planned, then the cost is the practices pages estimated from the read model and order windows are unknown', async () => {
    const plan = planCuragenesis({
      by: 'month',
      since: '2026-02-01',
      now: NOW,
      pageSize: 2,
      knownPractices: 3,
    });
    expect(plan.requests).toBe(2);
    expect(plan.estimated).toBe(true);
    const source = fakeSource(
      () => 0,
      [
        [
          { practiceId: 'a', totalOrders: 2, activatedAtIso: '2026-02-03T10:00:00.000Z' },
          { practiceId: 'b', totalOrders: 5, activatedAt: Date.parse('2026-03-01T00:00:00Z') },
        ],
        [{ practiceId: 'c', totalOrders: 1, activatedAt: null }],
      ],
    );
    const counts = await countAtSource(plan, source);
    const labelled = plan.checks.map((c, i) => `${c.entity} ${c.window?.label ?? 'all'} ${counts[i]}`);
    expect(labelled).toEqual([
      'practices all 3',
      'practices 2026-02 1',
      'practices 2026-03 1',
      'orders all 8',
      'orders 2026-02 null',
      'orders 2026-03 null',
    ]);
    expect(source.calls).toHaveLength(2);
  });
});

describe('statedTotal', () => {
  it('when an envelope states totalCount, total, or a bare paginator total, then that; else null', () => {
    expect(statedTotal({ result: { data: [], totalCount: 7 } })).toBe(7);
    expect(statedTotal({ result: { data: [], total: 4 } })).toBe(4);
    expect(statedTotal({ current_page: 1, data: [], total: 9 })).toBe(9);
    expect(statedTotal({ result: { data: [] } })).toBeNull();
    expect(statedTotal(null)).toBeNull();
  });
});

describe('runReconcile', () => {
  it('when the read model lacks rows in one window, then that row is a gap and the report says gap', async () => {
    const plan = planRepcard({
      by: 'month',
      since: '2026-02-01',
      now: NOW,
      historyStart: '2015-01-01',
      dateField: 'updated',
      entities: ['appointments'],
    });
    const source = fakeSource((_path, q) =>
      q.from_date === '2026-02-01' ? 5 : q.from_date === '2026-03-01' ? 2 : 9,
    );
    const report = await runReconcile(plan, {
      client: source,
      readModel: {
        count: async (_t, range) => (range?.from === '2026-02-01' ? 4 : range?.from === '2026-03-01' ? 2 : 8),
      },
      now: () => NOW,
    });
    expect(report.rows.map((r) => `${r.window} ${r.source}/${r.readModel} ${r.verdict}`)).toEqual([
      'all 9/8 gap',
      '2026-02 5/4 gap',
      '2026-03 2/2 complete',
    ]);
    expect(report.verdict).toBe('gap');
    expect(report.requests).toBe(3);
  });
});

describe('backfillRequests', () => {
  const row = (
    entity: string,
    window: string,
    verdict: ReconcileRow['verdict'],
    missing = 0,
  ): ReconcileRow => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(window);
    return {
      entity,
      window,
      from: window === 'all' ? null : day ? window : `${window}-01`,
      to: window === 'all' ? null : day ? '2026-03-15' : '2026-03-01',
      source: 0,
      readModel: 0,
      verdict,
      missing,
      note: null,
    };
  };
  const report = (source: 'repcard' | 'curagenesis', rows: ReconcileRow[]): ReconcileReport => ({
    source,
    by: 'day',
    since: '2026-03-14',
    checkedAt: NOW.toISOString(),
    requests: 0,
    verdict: 'gap',
    rows,
  });

  it('when dated entities have gaps in one day, then one sync of just that day names them, in sync order', () => {
    const r = report('repcard', [
      row('customers', 'all', 'gap', 1),
      row('customers', '2026-03-14', 'gap', 1),
      row('status_logs', 'all', 'gap', 2),
      row('status_logs', '2026-03-14', 'gap', 2),
      row('status_logs', '2026-03-15', 'complete'),
    ]);
    expect(backfillRequests(r)).toEqual([
      { entities: ['customers', 'status_logs'], from: '2026-03-14', to: '2026-03-14' },
    ]);
  });

  it('when a total misses more than its windows, then the time before the first window is backfilled too', () => {
    const r = report('repcard', [
      row('appointments', 'all', 'gap', 5),
      row('appointments', '2026-03-14', 'gap', 2),
      row('appointments', '2026-03-15', 'complete'),
    ]);
    expect(backfillRequests(r)).toEqual([
      { entities: ['appointments'], from: null, to: '2026-03-13' },
      { entities: ['appointments'], from: '2026-03-14', to: '2026-03-14' },
    ]);
  });

  it('when entities without a date window have gaps, then one full sync of them', () => {
    expect(
      backfillRequests(report('repcard', [row('offices', 'all', 'gap', 1), row('users', 'all', 'gap', 1)])),
    ).toEqual([{ entities: ['users', 'offices'], from: null, to: null }]);
    expect(
      backfillRequests(
        report('curagenesis', [row('practices', '2026-03-14', 'gap', 1), row('orders', 'all', 'complete')]),
      ),
    ).toEqual([{ entities: ['practices'], from: null, to: null }]);
  });
});

describe('expectedDurationMs', () => {
  it('when the requests fit the budget, then only latency; beyond it, one period per extra budget', () => {
    expect(expectedDurationMs(8, { limit: 100, periodMs: 60_000 }, 100, 4)).toBe(200);
    expect(expectedDurationMs(250, { limit: 100, periodMs: 60_000 }, 100, 4)).toBe(2 * 60_000 + 63 * 100);
    expect(expectedDurationMs(10, { limit: 100, periodMs: 60_000, available: 5 }, 100, 4)).toBe(60_000 + 300);
    expect(expectedDurationMs(0, { limit: 100, periodMs: 60_000 })).toBe(0);
  });
});
