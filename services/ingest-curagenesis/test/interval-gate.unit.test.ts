import type { Checkpoint } from '@tributary/contracts';
import { decideRun, intervalGate, knownSyncIds, lastStartFromCheckpoints } from '../src/domain/interval-gate';

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

describe('intervalGate', () => {
  const later = (ms: number) => new Date(now.getTime() + ms);

  it('when the checkpoints tell a run started half an hour ago, then a new command waits and a forced one runs', () => {
    const checkpoints = new Map([
      ['curagenesis/orders', checkpoint('orders', '2026-01-01T11:30:00.000Z', '2026-01-01T11:40:00.000Z')],
    ]);
    const gate = intervalGate(HOUR, checkpoints);

    expect(gate.startupFields).toEqual({ lastStartedAt: '2026-01-01T11:30:00.000Z' });
    expect(gate.admit({ syncId: 'new', force: false } as never, now)).toMatchObject({ run: false });
    expect(gate.admit({ syncId: 'forced', force: true } as never, now)).toEqual({ run: true });
  });

  it('when a command is admitted, then the next one inside the interval is refused, but a redelivered run resumes', () => {
    const checkpoints = new Map([
      [
        'curagenesis/practices',
        checkpoint('practices', null, '2026-01-01T12:00:00.000Z', { syncId: 'running' }),
      ],
    ]);
    const gate = intervalGate(HOUR, new Map());
    expect(gate.admit({ syncId: 'first', force: false } as never, now)).toEqual({ run: true });
    expect(gate.admit({ syncId: 'second', force: false } as never, later(HOUR / 2))).toMatchObject({
      run: false,
    });
    expect(gate.admit({ syncId: 'third', force: false } as never, later(HOUR))).toEqual({ run: true });

    const resuming = intervalGate(HOUR, checkpoints);
    expect(resuming.admit({ syncId: 'running', force: false } as never, now)).toEqual({ run: true });
    expect(resuming.admit({ syncId: 'other', force: false } as never, later(1000))).toMatchObject({
      run: false,
    });
  });
});
