import { INVALID, type Converter, type Value } from './converters';
import { at, type Json } from './json';

/** A read-model row: column → value. */
export type Row = Record<string, Value>;

/**
 * One column of a field table: the record fields it may come from (dotted paths into nested
 * objects; the first that converts to a non-null value wins), how to convert them, and what to
 * compute when none gives a value.
 */
export interface FieldSpec {
  column: string;
  keys: readonly string[];
  convert: Converter;
  otherwise?: (record: Json) => Value;
}

export interface MappedColumns {
  row: Row;
  /** `key: problem` for every present value its column cannot hold. */
  problems: string[];
}

/**
 * Maps a record through a field table. `full`: every column is written (a field the record lacks
 * is null). `partial`: only the columns whose fields are present (a partial record, e.g. a webhook,
 * leaves the others alone).
 */
export function mapColumns(fields: readonly FieldSpec[], record: Json, columns: 'full' | 'partial'): MappedColumns {
  const row: Row = {};
  const problems: string[] = [];
  for (const f of fields) {
    const present = f.keys.map((k) => ({ key: k, ...at(record, k) })).filter((p) => p.present);
    if (present.length === 0 && columns === 'partial') continue;
    let value: Value = null;
    for (const p of present) {
      const converted = f.convert(p.value, record);
      if (converted === INVALID) {
        problems.push(`${p.key}: ${JSON.stringify(p.value)?.slice(0, 60)} cannot be stored in ${f.column}`);
      } else if (value === null) value = converted;
    }
    if (value === null && f.otherwise) value = f.otherwise(record);
    row[f.column] = value;
  }
  return { row, problems };
}
