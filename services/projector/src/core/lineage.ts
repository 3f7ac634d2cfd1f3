import type { RecordObserved } from '@tributary/contracts';
import type { RecordPosition } from './record-failure';

/**
 * How the event that wrote a row observed its record: a poll of the API, a webhook, and (issue 13
 * items 3 and 4, not yet written) a targeted re-fetch or an operator's repair.
 */
export const OBSERVED_VIA = ['poll', 'webhook', 're-fetch', 'repair'] as const;
export type ObservedVia = (typeof OBSERVED_VIA)[number];

/**
 * Where a row's data comes from (ADR 0018): the Kafka event that last wrote it (topic, partition,
 * offset), how it observed the record and when. Stored in `_source_topic`, `_source_partition`,
 * `_source_offset`, `_observed_via`, `_observed_at` with the data it wrote, so a row can be traced
 * back to its event (`kafka-console-consumer --partition P --offset O`). Pure.
 */
export interface Lineage {
  topic: string;
  partition: number;
  offset: string;
  via: ObservedVia;
  observedAt: string;
}

/** The lineage of one observation read at `at` (none when the caller does not know where it was read). */
export function lineageOf(
  event: Pick<RecordObserved, 'origin' | 'observedAt'>,
  at?: RecordPosition,
): Lineage | null {
  if (!at) return null;
  return {
    topic: at.topic,
    partition: at.partition,
    offset: at.offset,
    via: event.origin,
    observedAt: event.observedAt,
  };
}

/** The lineage columns, in the order the upserts write them (after the row's own columns). */
export const LINEAGE_COLUMNS = [
  '_source_topic',
  '_source_partition',
  '_source_offset',
  '_observed_via',
  '_observed_at',
] as const;

/** The values of LINEAGE_COLUMNS for one write (nulls without a lineage). */
export function lineageValues(lineage: Lineage | null | undefined): (string | number | null)[] {
  const values: (string | number | null)[] = new Array(LINEAGE_COLUMNS.length);
  putLineageValues(lineage, values, 0);
  return values;
}

/** The same values written into `values` from index `at`: no array per row on the COPY path. */
export function putLineageValues(lineage: Lineage | null | undefined, values: unknown[], at: number): void {
  values[at] = lineage?.topic ?? null;
  values[at + 1] = lineage?.partition ?? null;
  values[at + 2] = lineage?.offset ?? null;
  values[at + 3] = lineage?.via ?? null;
  values[at + 4] = lineage?.observedAt ?? null;
}
