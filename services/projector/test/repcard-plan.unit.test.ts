import { isRecordMalformedError, RECORD_MALFORMED } from '../src/core/record-failure';
import { tallyBySync } from '../src/core/tally';
import { planRepcard } from '../src/projections/repcard/plan';
import { observed as observedRecord } from './observed';

const observed = (
  id: number | string,
  payload: Record<string, unknown>,
  observedAt: string,
  sourceUpdatedAt: string | null = null,
  syncId = 's1',
) => observedRecord('repcard', 'customers', String(id), payload, { observedAt, sourceUpdatedAt, syncId });
const customer = (id: number, firstName: string, updatedAt: string) => ({ id, firstName, updatedAt });

describe('planRepcard', () => {
  it('when the same record comes twice, then it is written once and the copy counts as unchanged', () => {
    const record = customer(1, 'Ann', '2024-02-01T00:00:00Z');
    const plan = planRepcard('customers', [
      observed(1, record, '2024-03-01T00:00:00Z', '2024-02-01T00:00:00.000Z'),
      observed(1, record, '2024-03-01T00:00:00Z', '2024-02-01T00:00:00.000Z'),
    ]);
    expect(plan.runs).toHaveLength(1);
    expect(plan.runs[0]!.writes.map((w) => [w.key, w.row.first_name])).toEqual([['1', 'Ann']]);
    expect(plan.superseded).toEqual([{ syncId: 's1' }]);
    expect(plan.failures).toEqual([]);
  });

  it('when an older version follows a newer one, then the newer is written and the older is superseded', () => {
    const plan = planRepcard('customers', [
      observed(
        2,
        customer(2, 'New', '2024-05-01T00:00:00Z'),
        '2024-05-02T00:00:00Z',
        '2024-05-01T00:00:00.000Z',
        'new',
      ),
      observed(
        2,
        customer(2, 'Old', '2024-04-01T00:00:00Z'),
        '2024-05-03T00:00:00Z',
        '2024-04-01T00:00:00.000Z',
        'old',
      ),
    ]);
    expect(plan.runs.flatMap((r) => r.writes.map((w) => w.row.first_name))).toEqual(['New']);
    expect(plan.superseded).toEqual([{ syncId: 'old' }]);
  });

  it('when records have no update time, then the later observation is the newer version', () => {
    const plan = planRepcard('customers', [
      observed(3, { id: 3, firstName: 'First' }, '2024-05-02T00:00:00Z'),
      observed(3, { id: 3, firstName: 'Second' }, '2024-05-02T00:00:00Z'),
    ]);
    expect(plan.runs[0]!.writes.map((w) => [w.row.first_name, w.versionAt])).toEqual([
      ['Second', '2024-05-02T00:00:00Z'],
    ]);
  });

  it('when a record breaks its contract, then it fails with RECORD_MALFORMED at its offset and the rest is planned', () => {
    const bad = observed('malformed:x', { firstName: 'NoId' }, '2024-05-02T00:00:00Z', null, 'sync-bad');
    const good = observed(
      4,
      customer(4, 'Dee', '2024-01-05T00:00:00Z'),
      '2024-05-02T00:00:00Z',
      null,
      'sync-bad',
    );
    const plan = planRepcard('customers', [bad, good]);
    expect(plan.failures).toHaveLength(1);
    const failure = plan.failures[0]!;
    expect(failure).toMatchObject({ offset: bad.offset, syncId: 'sync-bad' });
    expect(failure.error.code).toBe(RECORD_MALFORMED);
    expect(isRecordMalformedError(failure.error)).toBe(true);
    expect(failure.error.message).toMatch(/^malformed customers record malformed:x: id: /);
    const outcomes = new Map(plan.runs.flatMap((r) => r.writes.map((w) => [w, 'inserted' as const])));
    expect(tallyBySync(plan, outcomes)).toEqual(
      new Map([['sync-bad', { inserted: 1, updated: 0, unchanged: 0, failed: 1 }]]),
    );
  });

  it('when a batch holds several ids, then they share one statement and the raw record is kept', () => {
    const payload = customer(5, 'Eve', '2024-01-05T00:00:00Z');
    const plan = planRepcard('customers', [
      observed(5, payload, '2024-05-02T00:00:00Z'),
      observed(6, customer(6, 'Fay', '2024-01-05T00:00:00Z'), '2024-05-02T00:00:00Z'),
    ]);
    expect(plan.runs).toHaveLength(1);
    expect(plan.runs[0]).toMatchObject({ insertOnly: false, mergeRawData: false });
    expect(plan.runs[0]!.writes[0]!.rawData).toBe(payload);
    expect(plan).toMatchObject({ source: 'repcard', entity: 'customers' });
    expect(plan.spec.table).toBe('repcard_customers');
  });
});
