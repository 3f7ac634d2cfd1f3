import type { Row } from '../domain/repcard-rows';
import type { Json } from '../domain/values';

/**
 * Strict column converters for CuraGenesis records. The record contracts are lenient (a string is
 * accepted wherever a number may come as a string), so a value the column cannot hold is caught
 * here: present, not null, and not convertible = the record is malformed (it goes to the DLQ).
 */
export type Value = string | number | boolean | null;
export const INVALID = Symbol('invalid');
export type Converter = (v: unknown) => Value | typeof INVALID;

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const text: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') return INVALID;
  return v.length ? v : null;
};

/** An identifier: a string or a number, stored as text. */
export const ident: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : INVALID;
  if (typeof v !== 'string') return INVALID;
  return v.length ? v : null;
};

export const integer: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? v : INVALID;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return INVALID;
};

export const numeric: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : INVALID;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return INVALID;
};

export const boolean: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return INVALID;
};

/** Epoch milliseconds (number or digit string) or an ISO date / date-time → ISO string. */
export const timestamp: Converter = (v) => {
  if (v === null || v === undefined) return null;
  let ms = Number.NaN;
  if (typeof v === 'number') ms = v;
  else if (typeof v === 'string' && /^\d+$/.test(v.trim())) ms = Number(v.trim());
  else if (typeof v === 'string' && ISO_LIKE.test(v.trim())) ms = Date.parse(v.trim().replace(' ', 'T'));
  if (!Number.isFinite(ms)) return INVALID;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? INVALID : d.toISOString();
};

/** A calendar date `YYYY-MM-DD` (a date-time keeps its UTC date). */
export const calendarDate: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) return v;
  const t = timestamp(v);
  return t === INVALID || t === null ? INVALID : String(t).slice(0, 10);
};

/** One column: the record keys it may come from (first non-null wins) and how to convert them. */
export interface FieldSpec {
  column: string;
  keys: readonly string[];
  convert: Converter;
}

export interface MappedColumns {
  /** Only the columns whose keys are present in the record (a partial record leaves the others alone). */
  row: Row;
  /** `key: problem` for every present value the column cannot hold. */
  problems: string[];
}

export function mapColumns(fields: readonly FieldSpec[], record: Json): MappedColumns {
  const row: Row = {};
  const problems: string[] = [];
  for (const f of fields) {
    const present = f.keys.filter((k) => Object.prototype.hasOwnProperty.call(record, k));
    if (present.length === 0) continue;
    let value: Value = null;
    for (const k of present) {
      const converted = f.convert(record[k]);
      if (converted === INVALID) {
        problems.push(`${k}: ${JSON.stringify(record[k])?.slice(0, 60)} cannot be stored in ${f.column}`);
      } else if (value === null) value = converted;
    }
    row[f.column] = value;
  }
  return { row, problems };
}
