import type { RepcardEntity } from '@tributary/contracts';
import { mapColumns, type Row } from '../core/field-table';
import type { Json } from '../core/json';
import type { TableSpec } from '../core/table-spec';
import { REPCARD_TABLES as TABLES } from '../projections/repcard/tables';

/**
 * Transition only: tools/bench/src/projector-throughput.ts imports this path. The RepCard table
 * specs with a `map` (record → row through the field table). Delete once the bench imports
 * projections/repcard/tables and core/field-table.
 */
export const REPCARD_TABLES = Object.fromEntries(
  Object.entries(TABLES).map(([entity, spec]) => [
    entity,
    { ...spec, map: (record: Json): Row => mapColumns(spec.fields, record, spec.columns).row },
  ]),
) as Record<RepcardEntity, TableSpec & { map(record: Json): Row }>;
