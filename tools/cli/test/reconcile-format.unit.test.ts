import type { ReconcileReport } from '@tributary/sync';
import { formatDuration, reportTable } from '../src/reconcile/format';

const report: ReconcileReport = {
  source: 'repcard',
  by: 'day',
  since: '2026-03-14',
  checkedAt: '2026-03-15T10:00:00.000Z',
  requests: 3,
  verdict: 'gap',
  rows: [
    {
      entity: 'appointment_attachments',
      window: 'all',
      from: null,
      to: null,
      source: 1234567,
      readModel: 1234567,
      verdict: 'complete',
      missing: 0,
      note: null,
    },
    {
      entity: 'status_logs',
      window: '2026-03-14',
      from: '2026-03-14',
      to: '2026-03-15',
      source: 12,
      readModel: 9,
      verdict: 'gap',
      missing: 3,
      note: null,
    },
    {
      entity: 'status_logs',
      window: '2026-03-15',
      from: '2026-03-15',
      to: '2026-03-16',
      source: 2,
      readModel: 40,
      verdict: 'unknown',
      missing: 0,
      note: 'read model has 38 more (deleted or moved at the source?)',
    },
  ],
};

describe('reportTable', () => {
  it('when a report has long notes, then every line fits 80 columns and gaps say how many are missing', () => {
    const text = reportTable(report);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('status_logs             2026-03-14       12          9  gap (3 missing)');
    expect(text).toContain('status_logs             2026-03-15        2         40  unknown (1)');
    expect(text).toContain('(1) status_logs: read model has 38 more (deleted or moved at the source?)');
    expect(text).toMatch(/repcard: gap, 1 gap, 1 unknown; 3 requests, 2026-03-15 10:00 UTC$/);
  });
});

describe('formatDuration', () => {
  it('when durations grow, then seconds, minutes, hours', () => {
    expect([formatDuration(400), formatDuration(61_000), formatDuration(2 * 3600_000 + 600_000)]).toEqual([
      '1 s',
      '1 min 1 s',
      '2 h 10 min',
    ]);
  });
});
