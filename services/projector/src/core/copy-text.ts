/**
 * PostgreSQL's COPY text format (the default of `COPY ... FROM STDIN`), pure: one line per row,
 * columns separated by tabs, `\N` for null, and backslash, tab, newline and carriage return escaped.
 * Values are written as the multi-row upsert sends them as parameters (a number as `String(n)`, a
 * boolean as `true`/`false`, an object as its JSON), so both paths store the same thing.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value as a COPY text field. */
export function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c]!) : text;
}

/** One row as a COPY text line, newline included. */
export function copyTextLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + copyTextValue(values[i]);
  return `${line}\n`;
}
