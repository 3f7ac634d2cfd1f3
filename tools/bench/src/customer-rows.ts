import { randomUUID } from 'node:crypto';
import type { RecordObserved } from '@tributary/contracts';
import { createRepcardSimulator } from '../../sim-repcard/src';
import { REPCARD_TABLES } from '../../../services/projector/src/projections/repcard/tables';
import { mapColumns } from '../../../services/projector/src/core/field-table';
import type { RowWrite } from '../../../services/projector/src/core/row-changes';

export const CUSTOMERS = REPCARD_TABLES.customers;

/** One slice of the benchmark's customers: the change events and the rows they become. */
export interface CustomerChunk {
  events: RecordObserved[];
  writes: RowWrite[];
}

/**
 * The projector benchmarks' rows: `n` RepCard customers of the simulator (seed 11), made lazily in
 * chunks so that 1M rows need no more memory than 100k. `updatedAt`, when given, replaces every
 * record's `updatedAt` (a newer version of each row: the update path); it must be later than the
 * simulator's own.
 */
export function* customerChunks(
  n: number,
  opts: { updatedAt?: string; chunk?: number } = {},
): Generator<CustomerChunk> {
  const sim = createRepcardSimulator({
    seed: 11,
    counts: {
      users: 10,
      offices: 3,
      customers: n,
      appointments: 1,
      status_logs: 1,
      customer_attachments: 1,
      appointment_attachments: 1,
    },
  });
  const size = opts.chunk ?? 1000;
  const observedAt = new Date().toISOString();
  for (let start = 0; start < n; start += size) {
    const events: RecordObserved[] = [];
    const writes: RowWrite[] = [];
    for (let i = start; i < Math.min(n, start + size); i++) {
      const original = sim.dataset.record('customers', i) as Record<string, unknown>;
      if (opts.updatedAt && Date.parse(String(original.updatedAt)) >= Date.parse(opts.updatedAt)) {
        throw new Error(
          `customer ${String(original.id)} is newer (${String(original.updatedAt)}) than the update pass (${opts.updatedAt})`,
        );
      }
      const record = opts.updatedAt ? { ...original, updatedAt: opts.updatedAt } : original;
      const sourceUpdatedAt = new Date(String(record.updatedAt)).toISOString();
      events.push({
        type: 'RecordObserved',
        version: 2,
        eventId: randomUUID(),
        source: 'repcard',
        entity: 'customers',
        id: String(record.id),
        payload: record,
        observedAt,
        sourceUpdatedAt,
        syncId: null,
        origin: 'poll',
        deliveryId: null,
      });
      writes.push({
        row: mapColumns(CUSTOMERS.fields, record as never, CUSTOMERS.columns).row,
        rawData: record,
        versionAt: sourceUpdatedAt,
        observedAt,
        syncId: null,
      });
    }
    yield { events, writes };
  }
}

/** The columns the projector writes for a customer, in a fixed order. */
export function customerColumns(): string[] {
  const first = customerChunks(1).next().value as CustomerChunk;
  return [...Object.keys(first.writes[0]!.row), 'raw_data', 'version_at', 'last_sync_id'];
}

/** A write's values in `customerColumns()` order. */
export function writeValues(columns: readonly string[], w: RowWrite): unknown[] {
  return columns.map((c) =>
    c === 'raw_data'
      ? w.rawData
      : c === 'version_at'
        ? w.versionAt
        : c === 'last_sync_id'
          ? w.syncId
          : (w.row[c] ?? null),
  );
}
