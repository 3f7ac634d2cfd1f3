/**
 * PostgreSQL's COPY text format (the default of `COPY ... FROM STDIN`): one line per row, columns
 * separated by tabs, `\N` for null; backslash, tab, newline and carriage return escaped.
 */
export function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c]!) : text;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One row as a COPY text line, newline included. */
export function copyTextLine(values: readonly unknown[]): string {
  return `${values.map(copyTextValue).join('\t')}\n`;
}
