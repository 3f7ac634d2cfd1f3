import { parseCron } from '../src/domain/cron';
import { nextFiring, upcomingFirings, type ScheduleEntry } from '../src/domain/schedule';

const entries = (incremental: string, full: string): ScheduleEntry[] => [
  { mode: 'incremental', cron: parseCron(incremental) },
  { mode: 'full', cron: parseCron(full) },
];

describe('nextFiring', () => {
  it('when the defaults are used, then incremental runs at 00/06/12/18 and full at 02:00, never in the same minute', () => {
    const list = upcomingFirings(entries('0 */6 * * *', '0 2 * * *'), new Date('2025-03-10T00:00:00Z'), 5);
    expect(list.map((f) => `${f.at.toISOString().slice(11, 16)} ${f.mode}`)).toEqual([
      '02:00 full',
      '06:00 incremental',
      '12:00 incremental',
      '18:00 incremental',
      '00:00 incremental',
    ]);
  });

  it('when both are due in the same minute, then the full sync wins and the incremental one is not run', () => {
    const e = entries('0 * * * *', '0 2 * * *');
    expect(nextFiring(e, new Date('2025-03-10T01:30:00Z'))).toEqual({
      at: new Date('2025-03-10T02:00:00Z'),
      mode: 'full',
    });
    const list = upcomingFirings(e, new Date('2025-03-10T01:30:00Z'), 2);
    expect(list.map((f) => [f.at.toISOString(), f.mode])).toEqual([
      ['2025-03-10T02:00:00.000Z', 'full'],
      ['2025-03-10T03:00:00.000Z', 'incremental'],
    ]);
  });

  it('when the full entry comes first in the list, then it still wins a shared minute', () => {
    const e: ScheduleEntry[] = [
      { mode: 'full', cron: parseCron('0 0 * * *') },
      { mode: 'incremental', cron: parseCron('0 0 * * *') },
    ];
    expect(nextFiring(e, new Date('2025-03-10T12:00:00Z'))?.mode).toBe('full');
  });

  it('when there are no entries, then nothing fires', () => {
    expect(nextFiring([], new Date())).toBeNull();
  });
});
