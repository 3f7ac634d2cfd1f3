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
  /** The table's mapper of each mode, written out when first needed (compileMapper). */
  mappers: { full?: Mapper; partial?: Mapper };
}

const compiled = new WeakMap<readonly FieldSpec[], CompiledTable>();

function compile(fields: readonly FieldSpec[]): CompiledTable {
  let c = compiled.get(fields);
  if (!c) {
    c = { fields: fields.map((spec) => ({ spec, paths: spec.keys.map((k) => k.split('.')) })), mappers: {} };
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
  return (table.mappers[columns] ??= compileMapper(table, columns))(record);
}

type Mapper = (record: Json) => MappedColumns;

/** What a field that gave a value its column cannot hold is reported as. */
function problem(f: FieldSpec, path: number, v: unknown): string {
  return `${f.keys[path]!}: ${JSON.stringify(v)?.slice(0, 60)} cannot be stored in ${f.column}`;
}

/**
 * The field table as one function, written out field by field: each field read by name from the
 * record (a property load V8 caches by the record's shape, where a loop over the table reads
 * every field by a computed key), the row made as one object literal in field order (an object
 * with fast properties: a row grown one computed key at a time turns into a hash table after a
 * dozen columns, ADR 0023, addendum 4). A fifth of a customer row's plan went to the loop (ADR 0023,
 * addendum 6). What it does is the loop's, step by
 * step: a one-step path is an own field of a plain object (`valueAt`, which reads longer ones), the
 * first value a field converts to wins, every value a column cannot hold is a problem, `otherwise`
 * when none gave a value. Only names and column names, quoted as JSON strings, go into its text;
 * converters and fallbacks are passed in.
 */
function compileMapper(table: CompiledTable, columns: 'full' | 'partial'): Mapper {
  const ctx = {
    hasOwn,
    valueAt,
    ABSENT,
    INVALID,
    problem,
    fields: table.fields.map((f) => f.spec),
    paths: table.fields.map((f) => f.paths),
  };
  const q = (text: string): string => JSON.stringify(text);
  const lines: string[] = [
    'const { hasOwn, valueAt, ABSENT, INVALID, problem, fields, paths } = ctx;',
    ...table.fields.flatMap((f, i) => [
      `const f${i} = fields[${i}];`,
      `const c${i} = f${i}.convert;`,
      f.spec.otherwise ? `const o${i} = f${i}.otherwise;` : '',
    ]),
    'return function mapRecordColumns(record) {',
    '  const plain = record !== null && typeof record === "object" && !Array.isArray(record);',
    '  const problems = [];',
    '  let v, c;',
  ];
  if (columns === 'partial') lines.push('  const row = {};');
  table.fields.forEach((f, i) => {
    lines.push(`  let v${i} = null, p${i} = false;`);
    f.paths.forEach((path, j) => {
      const read =
        path.length === 1
          ? `plain && hasOwn.call(record, ${q(path[0]!)}) ? record[${q(path[0]!)}] : ABSENT`
          : `valueAt(record, paths[${i}][${j}])`;
      lines.push(
        `  v = ${read};`,
        `  if (v !== ABSENT) { p${i} = true; c = c${i}(v, record);`,
        `    if (c === INVALID) problems.push(problem(f${i}, ${j}, v)); else if (v${i} === null) v${i} = c; }`,
      );
    });
    const otherwise = f.spec.otherwise ? `  if (v${i} === null) v${i} = o${i}(record);` : '';
    if (columns === 'partial')
      lines.push(`  if (p${i}) {`, otherwise, `  row[${q(f.spec.column)}] = v${i}; }`);
    else lines.push(otherwise);
  });
  if (columns === 'full')
    lines.push(`  const row = { ${table.fields.map((f, i) => `${q(f.spec.column)}: v${i}`).join(', ')} };`);
  lines.push('  return { row, problems };', '};');
  // The text is made above from the table's names, each quoted as a JSON string.
  return new Function('ctx', lines.filter(Boolean).join('\n'))(ctx) as Mapper;
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
