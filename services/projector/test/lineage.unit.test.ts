import type { RecordObserved } from '@tributary/contracts';
import { lineageOf, lineageValues } from '../src/core/lineage';
import { collapseWrites, observedWrite } from '../src/core/row-changes';
import { WRITE_COLUMNS, writeColumnValues } from '../src/core/upsert-sql';

const event = (
  observedAt: string,
  sourceUpdatedAt: string | null,
  origin: 'poll' | 'webhook' = 'poll',
): RecordObserved => ({
  type: 'RecordObserved',
  version: 2,
  eventId: '00000000-0000-4000-8000-000000000001',
  source: 'repcard',
  entity: 'customers',
  id: '1',
  payload: { id: 1 },
  observedAt,
  sourceUpdatedAt,
  syncId: null,
  origin,
  deliveryId: null,
});

describe('lineage and last seen', () => {
  it('when a record was read at a known position, then its write carries that position, how and when it was observed', () => {
    const at = { topic: 'repcard.customers.v1', partition: 2, offset: '41' };
    const w = observedWrite(
      event('2026-01-01T00:00:00.000Z', null, 'webhook'),
      '1',
      { repcard_customer_id: 1 },
      {},
      {},
      at,
    );
    expect(w.lineage).toEqual({ ...at, via: 'webhook', observedAt: '2026-01-01T00:00:00.000Z' });
    expect(lineageValues(w.lineage)).toEqual([
      'repcard.customers.v1',
      2,
      '41',
      'webhook',
      '2026-01-01T00:00:00.000Z',
    ]);
    // Both write paths put the lineage in place after raw_data, version, sync id and last seen.
    expect(writeColumnValues(w).slice(WRITE_COLUMNS.indexOf('_source_topic'))).toEqual(
      lineageValues(w.lineage),
    );
    expect(writeColumnValues({ ...w, lineage: null }).slice(4)).toEqual(lineageValues(null));
  });

  it('when the position is not known, then the lineage is empty', () => {
    expect(lineageOf(event('2026-01-01T00:00:00.000Z', null))).toBeNull();
    expect(lineageValues(null)).toEqual([null, null, null, null, null]);
  });

  it('when an older version of a record was observed after a newer one, then the newer wins and is stamped seen at the later time', () => {
    const row = { repcard_customer_id: 1 };
    const newer = observedWrite(event('2026-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'), '1', row, {});
    const olderSeenLater = observedWrite(
      event('2026-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
      '1',
      row,
      {},
    );
    const { runs, superseded } = collapseWrites([newer, olderSeenLater]);
    expect(superseded).toHaveLength(1);
    expect(runs[0]!.writes).toEqual([
      expect.objectContaining({ versionAt: '2025-06-01T00:00:00.000Z', seenAt: '2026-01-02T00:00:00.000Z' }),
    ]);
  });

  it('when a newer version supersedes one observed later, then the survivor is stamped seen at the later time', () => {
    const row = { repcard_customer_id: 1 };
    const olderSeenLater = observedWrite(
      event('2026-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
      '1',
      row,
      {},
    );
    const newer = observedWrite(event('2026-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'), '1', row, {});
    const { runs } = collapseWrites([olderSeenLater, newer]);
    expect(runs[0]!.writes[0]!.seenAt).toBe('2026-01-02T00:00:00.000Z');
  });
});
