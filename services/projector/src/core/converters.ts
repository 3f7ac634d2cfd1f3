import type { Json } from './json';

/**
 * The column converters of every projection: absent or null → null; a value the column can hold →
 * that value; anything else → INVALID (what it means is the table's choice: see TableSpec.onInvalid).
 * A converter sees the whole record too, for a column that depends on another field (a time zone).
 */
export type Value = string | number | boolean | null;
export const INVALID = Symbol('invalid');
export type Converter = (v: unknown, record: Json) => Value | typeof INVALID;

/** `convert(v)` with INVALID read as null: for values that only shape a message or a fallback. */
export function orNull(convert: Converter, v: unknown, record: Json = {}): Value {
  const r = convert(v, record);
  return r === INVALID ? null : r;
}

/** A string ('' → null). */
export const text: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') return INVALID;
  return v.length ? v : null;
};

/** A string, or a number or boolean written as text (a label the source may send either way). */
export const scalarText: Converter = (v, record) => {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return text(v, record);
};

/** An identifier: a string or a number, stored as text. */
export const ident: Converter = (v, record) => {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : INVALID;
  return text(v, record);
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

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const HAS_TIME = /^\d{4}-\d{2}-\d{2}T/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/;

const DATE_TIME_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * True unless the text starts with an impossible date or time (30 February, month 13, 24:00 and
 * later): `Date.parse` and `Date.UTC` roll those over into another, real instant, which would store
 * a date the source never sent.
 */
export function isRealDateTime(text: string): boolean {
  const m = DATE_TIME_PREFIX.exec(text.trim());
  if (!m) return true;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1];
  if (days === undefined || d < 1 || d > days) return false;
  return m[4] === undefined || (Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60);
}

/**
 * Epoch milliseconds (number or digit string) or an ISO date / date-time → ISO string (UTC). A
 * date-time without an offset is read as UTC, as is a date alone (its midnight). An impossible
 * date or time (30 February) is invalid, never rolled over into another date.
 */
export const timestamp: Converter = (v) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const canonical = canonicalUtc(v);
    if (canonical !== undefined) return canonical;
  }
  let ms = Number.NaN;
  if (typeof v === 'number') ms = v;
  else if (typeof v === 'string' && /^\d+$/.test(v.trim())) ms = Number(v.trim());
  else if (typeof v === 'string' && ISO_LIKE.test(v.trim()) && isRealDateTime(v)) {
    const s = v.trim().replace(' ', 'T');
    ms = Date.parse(HAS_TIME.test(s) && !HAS_OFFSET.test(s) ? `${s}Z` : s);
  }
  if (!Number.isFinite(ms)) return INVALID;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? INVALID : d.toISOString();
};

const CANONICAL_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/**
 * The fast path of `timestamp` for what sources send most, a UTC date-time `YYYY-MM-DDTHH:MM:SS[.f]Z`:
 * its ISO string made from its own digits (milliseconds truncated, as `Date.parse` does), without
 * parsing a Date; INVALID for an impossible date or time; undefined for any other text (the general
 * path). A third of a customer's mapping went to the two timestamps before (ADR 0023).
 */
function canonicalUtc(v: string): string | typeof INVALID | undefined {
  // test, not exec, and the digits read in place: no match array and no strings per field (the
  // exec made a fifth of the bytes a customer row's mapping allocated).
  if (!CANONICAL_UTC.test(v)) return undefined;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days) return INVALID;
  if (digits(v, 11, 2) > 23 || digits(v, 14, 2) > 59 || digits(v, 17, 2) > 59) return INVALID;
  // `YYYY-MM-DDTHH:MM:SS` is 19 characters, then `Z` or `.<digits>Z`.
  const fraction = v.length - 21; // digits after the dot (-1: no dot)
  if (fraction === 3) return v; // already the ISO string
  if (fraction > 3) return `${v.slice(0, 23)}Z`;
  if (fraction < 0) return `${v.slice(0, 19)}.000Z`;
  return `${v.slice(0, 20 + fraction)}${'00'.slice(fraction - 1)}Z`;
}

/** The number written by `count` ASCII digits of `text` from `at` (checked to be digits by the caller). */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** A calendar date `YYYY-MM-DD` (a date-time keeps its UTC date). */
export const calendarDate: Converter = (v, record) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return isRealDateTime(v) ? v : INVALID;
  const t = timestamp(v, record);
  return t === INVALID || t === null ? INVALID : String(t).slice(0, 10);
};

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/;

/**
 * A local wall-clock time (`2024-05-17 20:45:00`) in the IANA zone named by the first of `zoneKeys`
 * the record carries → UTC ISO string. Without a usable zone the wall clock is read as UTC; a value
 * that is no wall-clock time is read as a timestamp.
 */
export function wallClockIn(...zoneKeys: string[]): Converter {
  return (v, record) => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') return INVALID;
    const m = WALL_CLOCK.exec(v.trim());
    if (!m) return timestamp(v, record);
    if (!isRealDateTime(v)) return INVALID;
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
    const zone = zoneKeys.map((k) => orNull(scalarText, record[k])).find((z) => z !== null);
    if (typeof zone !== 'string') return new Date(asUtc).toISOString();
    try {
      // Two passes settle the offset across DST transitions.
      let guess = asUtc;
      for (let i = 0; i < 2; i++) guess = asUtc - offsetMs(guess, zone);
      return new Date(guess).toISOString();
    } catch {
      return new Date(asUtc).toISOString();
    }
  };
}

function offsetMs(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour') % 24,
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}
