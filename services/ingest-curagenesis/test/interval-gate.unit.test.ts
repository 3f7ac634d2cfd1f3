import type { Checkpoint } from '@tributary/contracts';
import { decideRun, knownSyncIds, lastStartFromCheckpoints } from '../src/domain/interval-gate';

const HOUR = 3_600_000;
const now = new Date('2026-01-01T12:00:00.000Z');
const base = { now, minIntervalMs: HOUR, knownSyncIds: new Set<string>() };

function checkpoint(
  entity: 'practices' | 'orders',
  highWaterMark: string | null,
  updatedAt: string,
  fullSync: Partial<NonNullable<Checkpoint['fullSync']>> | null = null,
): Checkpoint {
  return {
    type: 'Checkpoint',
    version: 1,
    source: 'curagenesis',
    entity,
    highWaterMark,
    updatedAt,
    fullSync: fullSync && {
      syncId: 's',
      nextPage: null,
      cursor: null,
      pagesDone: 1,
      fetched: 0,
      malformed: 0,
      completed: false,
      highWaterMarkSoFar: null,
      ...fullSync,
    },
  };
}

describe('decideRun', () => {
  it('when no run is known, then the command runs', () => {
    expect(decideRun({ ...base, command: { syncId: 'a', force: false }, lastStartedAt: null })).toEqual({
      run: true,
      why: 'first',
    });
  });

  it('when the last run started less than an hour ago, then the command is skipped with a reason naming when the next may start', () => {
    const d = decideRun({
      ...base,
      command: { syncId: 'a', force: false },
      lastStartedAt: new Date('2026-01-01T11:30:00.000Z'),
    });
    expect(d).toEqual({
      run: false,
      reason: expect.stringMatching(
        /started 30 min ago .*at most one sync per 60 min: the next may start at 2026-01-01T12:30:00.000Z/,
      ),
    });
  });

  it('when the command is forced, then it runs inside the hour', () => {
    expect(
      decideRun({
        ...base,
        command: { syncId: 'a', force: true },
        lastStartedAt: new Date('2026-01-01T11:59:00.000Z'),
      }),
    ).toEqual({ run: true, why: 'forced' });
  });

  it('when exactly the interval has passed, then the command runs', () => {
    expect(
      decideRun({
        ...base,
        command: { syncId: 'a', force: false },
        lastStartedAt: new Date('2026-01-01T11:00:00.000Z'),
      }),
    ).toEqual({ run: true, why: 'due' });
  });

  it('when the command is a redelivery of a run that wrote checkpoints, then it resumes whatever the interval', () => {
    expect(
      decideRun({
        ...base,
        command: { syncId: 'a', force: false },
        lastStartedAt: now,
        knownSyncIds: new Set(['a']),
      }),
    ).toEqual({ run: true, why: 'resume' });
  });
});

describe('lastStartFromCheckpoints', () => {
  it('when runs completed, then the newest high-water mark (the run start) counts, not the completion time', () => {
    const at = lastStartFromCheckpoints([
      checkpoint('practices', '2026-01-01T10:00:00.000Z', '2026-01-01T10:05:00.000Z', { completed: true }),
      checkpoint('orders', '2026-01-01T09:00:00.000Z', '2026-01-01T10:20:00.000Z', { completed: true }),
    ]);
    expect(at?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('when a run did not complete, then its last write counts', () => {
    const at = lastStartFromCheckpoints([
      checkpoint('practices', '2026-01-01T08:00:00.000Z', '2026-01-01T08:01:00.000Z', { completed: true }),
      checkpoint('orders', '2026-01-01T07:00:00.000Z', '2026-01-01T08:40:00.000Z', { completed: false }),
    ]);
    expect(at?.toISOString()).toBe('2026-01-01T08:40:00.000Z');
  });

  it('when there are no CuraGenesis checkpoints, then no run is known', () => {
    expect(lastStartFromCheckpoints([])).toBeNull();
  });

  it('when checkpoints name runs, then their sync ids are known', () => {
    expect(
      knownSyncIds([
        checkpoint('orders', null, '2026-01-01T08:00:00.000Z', { syncId: 'r1' }),
        checkpoint('practices', null, '2026-01-01T08:00:00.000Z'),
      ]),
    ).toEqual(new Set(['r1']));
  });
});
