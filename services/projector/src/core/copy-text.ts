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

const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * COPY text written straight into the CopyData messages sent ('d', length, UTF-8 bytes), about
 * `size` bytes each; rows may span messages (PostgreSQL reads the messages as one stream). No line
 * or piece is built as a string first: those strings, their concatenation and their flattening
 * were a quarter of what a rebuild allocated, and text encoded ahead of its write sat in node's heap
 * (ADR 0023). The bytes wait outside it, in the messages.
 */
export class CopyDataWriter {
  private buffer: Buffer | undefined;
  private position = 5;
  private readonly done: Buffer[] = [];

  constructor(private readonly size = 64 * 1024) {}

  /** One row: the values as COPY text fields, tab-separated, then a newline. */
  row(values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.byte(TAB);
      this.text(copyTextValue(values[i]));
    }
    this.byte(NEWLINE);
  }

  /** The messages completed so far, taken (each message once). */
  take(): Buffer[] {
    return this.done.splice(0, this.done.length);
  }

  /** Completes the message being written and takes every message left. */
  finish(): Buffer[] {
    this.complete();
    return this.take();
  }

  private text(text: string): void {
    // At most 3 bytes per UTF-16 unit: room for the worst case, then the bytes actually written.
    const buffer = this.room(text.length * 3);
    this.position += buffer.write(text, this.position, 'utf8');
  }

  private byte(value: number): void {
    this.room(1)[this.position++] = value;
  }

  private room(bytes: number): Buffer {
    if (this.buffer && this.position + bytes > this.buffer.length) this.complete();
    this.buffer ??= Buffer.allocUnsafe(Math.max(this.size, 5 + bytes));
    return this.buffer;
  }

  private complete(): void {
    const buffer = this.buffer;
    if (!buffer || this.position === 5) return;
    buffer[0] = 0x64; // 'd'
    buffer.writeInt32BE(this.position - 1, 1); // 4 + the bytes after the header
    this.done.push(buffer.subarray(0, this.position));
    this.buffer = undefined;
    this.position = 5;
  }
}
