import { collapseWrites, type PlannedWrite } from '../src/core/row-changes';

/** A write of id `key` at version `at`, with the given columns (values irrelevant). */
const write = (
  key: string,
  at: string,
  columns: readonly string[] = ['id', 'name'],
  mode: { insertOnly?: boolean; mergeRawData?: boolean } = {},
): PlannedWrite => ({
  key,
  row: Object.fromEntries(columns.map((c) => [c, c === 'id' ? key : `${c} of ${key}`])),
  rawData: {},
  versionAt: at,
  observedAt: at,
  syncId: `sync-${key}-${at}`,
  insertOnly: mode.insertOnly ?? false,
  mergeRawData: mode.mergeRawData ?? false,
});

const T = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const keysOf = (runs: { writes: PlannedWrite[] }[]): string[][] =>
  runs.map((r) => r.writes.map((w) => `${w.key}@${w.versionAt.slice(14, 16)}`));

describe('collapseWrites', () => {
  it('when distinct ids share one signature, then they make one run in arrival order, whatever their versions', () => {
    const { runs, superseded } = collapseWrites([write('3', T(9)), write('1', T(1)), write('2', T(5))]);
    expect(keysOf(runs)).toEqual([['3@09', '1@01', '2@05']]);
    expect(superseded).toEqual([]);
  });

  it('when distinct ids have two signatures, then the runs follow version order', () => {
    const wide = ['id', 'name', 'email'];
    const { runs } = collapseWrites([write('1', T(9)), write('2', T(1), wide), write('3', T(5))]);
    expect(keysOf(runs)).toEqual([['2@01'], ['3@05', '1@09']]);
  });

  it('when one id comes with two signatures, then both are kept, oldest first, in separate runs', () => {
    const merge = { mergeRawData: true };
    const { runs, superseded } = collapseWrites([
      write('1', T(7), ['id', 'name'], merge),
      write('1', T(3)),
      write('1', T(2), ['id', 'name'], merge),
    ]);
    expect(keysOf(runs)).toEqual([['1@03'], ['1@07']]);
    expect(runs.map((r) => r.mergeRawData)).toEqual([false, true]);
    expect(superseded).toEqual([{ syncId: `sync-1-${T(2)}` }]);
  });

  it('when the same columns come in another order or mode, then they are another signature', () => {
    const { runs } = collapseWrites([
      write('1', T(1)),
      write('2', T(2), ['name', 'id']),
      write('3', T(3), ['id', 'name'], { insertOnly: true }),
      write('4', T(4)),
    ]);
    expect(keysOf(runs)).toEqual([['1@01'], ['2@02'], ['3@03'], ['4@04']]);
    expect(runs.map((r) => r.insertOnly)).toEqual([false, false, true, false]);
  });

  it('when an older observation of an id follows a newer one, then the newer stays and is seen as late as the older', () => {
    const newer = write('1', T(8));
    const older = { ...write('1', T(4)), observedAt: T(20), seenAt: T(20) };
    const { runs, superseded } = collapseWrites([newer, older]);
    expect(keysOf(runs)).toEqual([['1@08']]);
    expect(runs[0]!.writes[0]!.seenAt).toBe(T(20));
    expect(superseded).toEqual([{ syncId: older.syncId }]);
  });
});
