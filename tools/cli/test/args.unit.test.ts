import { REPCARD_ENTITIES } from '@tributary/contracts';
import { parseCuragenesisArgs, parseRepcardArgs, UsageError } from '../src/args';
import { summaryTable } from '../src/report';
import type { EntityStatus } from '@tributary/read-model';

describe('sync CLI options', () => {
  it('when no flag is given, then a full sync of the seven entities in document order is asked', () => {
    expect(parseRepcardArgs([])).toMatchObject({
      mode: 'full',
      wait: true,
      entities: [...REPCARD_ENTITIES],
    });
  });

  it('when skip flags, a window and --incremental are given, then they are all honoured', () => {
    const req = parseRepcardArgs([
      '--incremental',
      '--start-date',
      '2025-01-01',
      '--end-date=2025-12-31',
      '--skip-attachments',
      '--skip-status-logs',
      '--no-wait',
    ]);
    expect(req).toMatchObject({
      mode: 'incremental',
      from: '2025-01-01',
      to: '2025-12-31',
      wait: false,
      entities: ['users', 'offices', 'customers', 'appointments'],
    });
  });

  it.each([
    [['--start-date', '2025-13-01'], /not a date/],
    [['--start-date'], /needs a date/],
    [['--start-date', '2025-02-30'], /not a date/],
    [['--start-date', '2025-03-01', '--end-date', '2025-02-01'], /after --end-date/],
    [['--bogus'], /unknown option --bogus/],
    [
      [
        '--skip-users',
        '--skip-offices',
        '--skip-customers',
        '--skip-appointments',
        '--skip-status-logs',
        '--skip-attachments',
      ],
      /nothing to sync/,
    ],
  ])('when the options are %j, then a usage error explains it', (argv, message) => {
    expect(() => parseRepcardArgs(argv)).toThrow(UsageError);
    expect(() => parseRepcardArgs(argv)).toThrow(message);
  });

  it('when CuraGenesis is forced, then force is set; unknown flags are refused', () => {
    expect(parseCuragenesisArgs(['--force', '--incremental'])).toMatchObject({
      force: true,
      mode: 'incremental',
    });
    expect(() => parseCuragenesisArgs(['--skip-users'])).toThrow(UsageError);
  });

  it('when a run is summarised, then each entity and the totals are printed', () => {
    const row = (entity: string, inserted: number, failed: number): EntityStatus => ({
      entityType: entity,
      status: 'completed',
      syncType: 'full',
      recordsFetched: inserted + failed,
      recordsSeen: inserted + failed,
      recordsInserted: inserted,
      recordsUpdated: 0,
      recordsUnchanged: 0,
      recordsFailed: failed,
      pages: 1,
      totalPages: 1,
      highWaterMark: null,
      startedAt: '2026-01-01T00:00:00.000Z',
      completedAt: '2026-01-01T00:00:02.000Z',
      errorMessage: null,
    });
    const text = summaryTable([row('users', 50, 0), row('customers', 99, 1)]);
    expect(text).toMatch(/users\s+completed\s+50\s+50\s+0\s+0\s+0\s+2\.0s/);
    expect(text).toMatch(/total\s+150\s+149\s+0\s+0\s+1/);
  });
});
