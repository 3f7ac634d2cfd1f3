import { recordCheck, recordFastAccept, type RecordObserved, type RepcardEntity } from '@tributary/contracts';
import type { Json } from '../../core/json';
import { malformed, type RecordFailure } from '../../core/record-failure';
import {
  collapseWrites,
  mapRecord,
  observedWrite,
  type PlannedWrite,
  type RowChanges,
} from '../../core/row-changes';
import type { ProjectedRecord } from '../projection';
import { REPCARD_TABLES } from './tables';

/**
 * Plans one batch of a RepCard entity topic: each record is checked against its entity's contract
 * and mapped through its field table; a record that fails is reported (DLQ, counted failed for its
 * sync); several observations of one id collapse to the newest (the others count as unchanged).
 */
export function planRepcard(
  entity: RepcardEntity,
  records: readonly ProjectedRecord<RecordObserved>[],
): RowChanges {
  const spec = REPCARD_TABLES[entity];
  const failures: RecordFailure[] = [];
  const writes: PlannedWrite[] = [];
  for (const { offset, value: event, at } of records) {
    // A valid record is told apart without zod (no copy of it); zod gives any other its verdict.
    if (!recordFastAccept(event.source, event.entity)(event.payload)) {
      const parsed = recordCheck(event.source, event.entity).safeParse(event.payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || '(record)';
        failures.push(malformed(offset, event, `${field}: ${issue?.message ?? 'invalid'}`));
        continue;
      }
    }
    // The record as decoded, not zod's copy of it (the same fields: these schemas transform
    // nothing): JSON.parse's objects have fast properties, zod's copy of a wide record does not.
    const mapped = mapRecord(spec, event.payload as Json);
    if (!mapped.ok) {
      failures.push(malformed(offset, event, mapped.why));
      continue;
    }
    writes.push(observedWrite(event, String(mapped.row[spec.key]), mapped.row, event.payload, {}, at));
  }
  return { source: 'repcard', entity, spec, ...collapseWrites(writes), failures };
}
