import { decideSweep } from '../src/core/deletion-guard';

describe('decideSweep', () => {
  it('when a few rows were not seen, then they are marked and the note says how many', () => {
    expect(decideSweep({ live: 200, unseen: 3, failed: 0, maxRatio: 0.05 })).toEqual({
      mark: true,
      note: '3 of 200 rows (1.5%) not seen by this full sync: marked deleted',
    });
  });

  it('when every row was seen, then the sweep marks none and says nothing', () => {
    expect(decideSweep({ live: 200, unseen: 0, failed: 0, maxRatio: 0.05 })).toEqual({
      mark: true,
      note: null,
    });
  });

  it('when exactly the ratio was not seen, then they are marked; one more row, then none is', () => {
    expect(decideSweep({ live: 100, unseen: 5, failed: 0, maxRatio: 0.05 }).mark).toBe(true);
    expect(decideSweep({ live: 100, unseen: 6, failed: 0, maxRatio: 0.05 })).toEqual({
      mark: false,
      note: 'deletions not marked: 6 of 100 rows (6%) were not seen by this full sync, above the deletion guard of 5% (PROJECTOR_DELETION_MAX_RATIO)',
    });
  });

  it('when the source answered nothing for a table with rows, then nothing is marked', () => {
    expect(decideSweep({ live: 10, unseen: 10, failed: 0, maxRatio: 0.5 }).mark).toBe(false);
  });

  it('when a record of the run failed, then nothing is marked, whatever the ratio', () => {
    const d = decideSweep({ live: 100, unseen: 1, failed: 2, maxRatio: 1 });
    expect(d.mark).toBe(false);
    expect(d.note).toMatch(/2 record\(s\) of this run could not be projected/);
  });

  it('when the ratio is 0, then no row is ever marked', () => {
    expect(decideSweep({ live: 1000, unseen: 1, failed: 0, maxRatio: 0 }).mark).toBe(false);
  });
});
