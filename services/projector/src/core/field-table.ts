import { INVALID, type Converter, type Value } from './converters';
import type { Json } from './json';

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

/** A field table with its dotted paths split once: mapping a record then allocates only its row. */
interface CompiledField {
  spec: FieldSpec;
  paths: (readonly string[])[];
}

interface CompiledTable {
  fields: CompiledField[];
  /**
   * A row of every column (null), in field order, whose hidden class has fast properties: a full
   * row starts as a copy of it. A row grown one computed key at a time from `{}` turns into a hash
   * table after a dozen columns (V8's limit for keyed stores), and every later read of it (the
   * statement's signature, the COPY line) is a lookup in that table (ADR 0023, addendum 4).
   */
  fullRow: Row;
}

const compiled = new WeakMap<readonly FieldSpec[], CompiledTable>();

function compile(fields: readonly FieldSpec[]): CompiledTable {
  let c = compiled.get(fields);
  if (!c) {
    const columns = Object.fromEntries(fields.map((f) => [f.column, null]));
    c = {
      fields: fields.map((spec) => ({ spec, paths: spec.keys.map((k) => k.split('.')) })),
      // JSON.parse builds objects with fast properties, whatever their count.
      fullRow: JSON.parse(JSON.stringify(columns)) as Row,
    };
    compiled.set(fields, c);
  }
  return c;
}

const ABSENT = Symbol('absent');
const hasOwn = Object.prototype.hasOwnProperty;

/** The value at a split dotted path, or ABSENT unless every step is an own field of a plain object (as `at`). */
function valueAt(record: unknown, path: readonly string[]): unknown {
  let current = record;
  for (let i = 0; i < path.length; i++) {
    if (
      current === null ||
      typeof current !== 'object' ||
      Array.isArray(current) ||
      !hasOwn.call(current, path[i]!)
    ) {
      return ABSENT;
    }
    current = (current as Json)[path[i]!];
  }
  return current;
}

/**
 * Maps a record through a field table. `full`: every column is written (a field the record lacks
 * is null). `partial`: only the columns whose fields are present (a partial record, e.g. a webhook,
 * leaves the others alone). Every present field is converted, so that each one a column cannot
 * hold is named, even after an earlier field gave the value.
 */
export function mapColumns(
  fields: readonly FieldSpec[],
  record: Json,
  columns: 'full' | 'partial',
): MappedColumns {
  const table = compile(fields);
  const row: Row = columns === 'full' ? { ...table.fullRow } : {};
  const problems: string[] = [];
  for (const { spec: f, paths } of table.fields) {
    let value: Value = null;
    let present = false;
    for (let i = 0; i < paths.length; i++) {
      const v = valueAt(record, paths[i]!);
      if (v === ABSENT) continue;
      present = true;
      const converted = f.convert(v, record);
      if (converted === INVALID) {
        problems.push(`${f.keys[i]!}: ${JSON.stringify(v)?.slice(0, 60)} cannot be stored in ${f.column}`);
      } else if (value === null) value = converted;
    }
    if (!present && columns === 'partial') continue;
    if (value === null && f.otherwise) value = f.otherwise(record);
    row[f.column] = value;
  }
  return { row, problems };
}

/**
 * The value `mapColumns` gives `column` for `record`, as text ('' when none): the first of its
 * paths that converts to a non-null value (a key column has no `otherwise`). What groups a record
 * with the other observations of its row without mapping the whole record (Projection.chunkKey).
 */
export function columnText(fields: readonly FieldSpec[], column: string, record: Json): string {
  const field = compile(fields).fields.find((f) => f.spec.column === column);
  if (!field) return '';
  for (const path of field.paths) {
    const v = valueAt(record, path);
    if (v === ABSENT) continue;
    const converted = field.spec.convert(v, record);
    if (converted !== INVALID && converted !== null) return String(converted);
  }
  return '';
}
