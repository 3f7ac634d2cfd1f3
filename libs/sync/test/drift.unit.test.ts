import {
  compareRecord,
  differingFields,
  driftReport,
  driftRequests,
  driftTargetsFor,
  repairEvents,
  samplePages,
  type SourceRecord,
  type StoredRow,
} from '@tributary/sync';

const source = (id: string, record: Record<string, unknown>, versionAt: string | null): SourceRecord => ({
  id,
  record,
  versionAt,
});
const stored = (
  id: string,
  rawData: unknown,
  versionAt: string,
  deletedAt: string | null = null,
): StoredRow => ({
  id,
  rawData,
  versionAt,
  deletedAt,
  observedVia: 'poll',
});

describe('drift report (pure)', () => {
  it('when the stored row holds the source answer with keys in another order, then nothing differs', () => {
    expect(differingFields({ b: { y: 1, x: [1, 2] }, a: 1 }, { a: 1, b: { x: [1, 2], y: 1 } })).toEqual([]);
  });

  it('when a field differs, is absent on one side or only on the other, then each is named', () => {
    expect(differingFields({ a: 1, b: 'x', gone: 1 }, { a: 2, b: 'x', added: null, more: 3 })).toEqual([
      'a',
      'gone',
      'more',
    ]);
  });

  it('when the source answers an older version with other content, then it is reported as differs, older at the source, with stored and source values', () => {
    const c = compareRecord(
      'customers',
      source('7', { id: 7, firstName: 'Old', updatedAt: '2024-01-01T00:00:00Z' }, '2024-01-01T00:00:00.000Z'),
      stored('7', { id: 7, firstName: 'New', updatedAt: '2024-02-01T00:00:00Z' }, '2024-02-01T00:00:00.000Z'),
    );
    expect(c.kind).toBe('differs');
    expect(c.drifted).toMatchObject({ id: '7', fields: ['firstName', 'updatedAt'], olderAtSource: true });
    expect(c.differences[0]).toEqual({
      entity: 'customers',
      id: '7',
      field: 'firstName',
      stored: 'New',
      source: 'Old',
    });
  });

  it('when there is no row, or the row is marked deleted, then it is missing or deleted', () => {
    expect(compareRecord('users', source('1', { id: 1 }, null), undefined).kind).toBe('missing');
    expect(
      compareRecord(
        'users',
        source('1', { id: 1 }, null),
        stored('1', { id: 1 }, '2024-01-01T00:00:00Z', '2024-03-01T00:00:00Z'),
      ).kind,
    ).toBe('deleted');
  });

  it('when a report is made, then it tallies per entity and its verdict says drift only when a record is not the same', () => {
    const rows = new Map([['1', stored('1', { id: 1 }, '2024-01-01T00:00:00Z')]]);
    const clean = driftReport(
      'repcard',
      [{ entity: 'users', records: [source('1', { id: 1 }, null)], stored: rows }],
      1,
    );
    expect(clean).toMatchObject({ verdict: 'clean', sampled: 1, requests: 1, drifted: [] });
    const drift = driftReport(
      'repcard',
      [
        {
          entity: 'users',
          records: [source('1', { id: 1 }, null), source('2', { id: 2 }, null)],
          stored: rows,
        },
      ],
      1,
    );
    expect(drift.verdict).toBe('drift');
    expect(drift.entities).toEqual([
      { entity: 'users', sampled: 2, same: 1, differs: 0, missing: 1, deleted: 0 },
    ]);
  });

  it('when repair events are made, then each drifted record becomes a RecordObserved of origin repair carrying the source answer and its own version', () => {
    const rec = source('7', { id: 7, firstName: 'Old' }, '2024-01-01T00:00:00.000Z');
    const report = driftReport(
      'repcard',
      [
        {
          entity: 'customers',
          records: [rec],
          stored: new Map([['7', stored('7', { id: 7, firstName: 'New' }, '2024-02-01T00:00:00Z')]]),
        },
      ],
      1,
    );
    const now = new Date('2026-01-01T00:00:00.000Z');
    const events = repairEvents(
      'repcard',
      report,
      [{ entity: 'customers', records: [rec] }],
      now,
      () => 'id-1',
    );
    expect(events).toEqual([
      {
        type: 'RecordObserved',
        version: 2,
        eventId: 'id-1',
        source: 'repcard',
        entity: 'customers',
        id: '7',
        payload: { id: 7, firstName: 'Old' },
        observedAt: now.toISOString(),
        sourceUpdatedAt: '2024-01-01T00:00:00.000Z',
        syncId: null,
        origin: 'repair',
        deliveryId: null,
      },
    ]);
  });

  it('when pages are chosen, then a sample covering the whole list starts at page 1, else a random run of consecutive pages fits', () => {
    expect(samplePages(500, 300, 100, () => 0.99)).toEqual([1, 2, 3, 4, 5]);
    expect(samplePages(100, 1000, 100, () => 0.99)).toEqual([10]);
    expect(samplePages(200, 1000, 100, () => 0)).toEqual([1, 2]);
  });

  it('when the cost is planned, then RepCard pays one request per 100 records per entity, and bad options are named', () => {
    expect(driftRequests('repcard', { size: 250, entities: ['customers', 'users'] }, 200)).toBe(6);
    expect(driftRequests('curagenesis', { size: 5 }, 200)).toBe(1 + 1 + 5);
    expect(() => driftTargetsFor('repcard', { size: 0 })).toThrow(/sample/);
    expect(() => driftTargetsFor('repcard', { size: 5, entities: ['orders'] })).toThrow(/entities/);
  });
});
