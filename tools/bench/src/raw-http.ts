import { connect, type Socket } from 'node:net';

/**
 * A lean HTTP/1.1 client for the benchmark's load: requests written as prepared bytes on a pool of
 * keep-alive TCP connections (as many as requests in flight: the caller bounds them), one request at
 * a time per connection (no pipelining), each answer read by a small parser (status line, headers,
 * a body by Content-Length or chunked). It shares two cores with what it measures, so it does as
 * little as it can: node's `http.request` cost ~300 µs of CPU a delivery there (request and
 * response objects, header handling, a timer each); this costs a write, a read and a scan. Timeouts
 * are checked by one sweep, not a timer each.
 */

/** What became of one request. */
export type RawOutcome =
  | { kind: 'status'; status: number; retryAfter: boolean }
  | { kind: 'connection'; error: string }
  | { kind: 'timeout'; error: string };

export interface RawHttpPoolOptions {
  host: string;
  port: number;
  /** An answer not complete this long after its request was written is a timeout (the connection is dropped), ms. */
  timeoutMs: number;
  /**
   * A connection idle this long is closed rather than reused (before the server's keep-alive
   * timeout can close it under a request just written: the keep-alive race), ms.
   */
  idleMs?: number;
}

/** `POST path HTTP/1.1` with these headers and body, as bytes. */
export function httpRequestBytes(
  host: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): Buffer {
  const head = [`POST ${path} HTTP/1.1`, `Host: ${host}`];
  const named = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  named['content-length'] = String(Buffer.byteLength(body));
  for (const [k, v] of Object.entries(named)) head.push(`${k}: ${v}`);
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** The answer being read on a connection. */
interface Reading {
  /** Bytes received, not yet consumed. */
  buf: Buffer;
  status: number;
  retryAfter: boolean;
  /** Whether the server closes the connection after this answer. */
  close: boolean;
  /** Body bytes still to read (Content-Length), or -1 when chunked; NaN while the head is unread. */
  remaining: number;
}

interface Conn {
  socket: Socket;
  /** The request in flight on it, if any. */
  current: { done: (o: RawOutcome) => void; writtenAt: number; reading: Reading } | undefined;
  idleSince: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** Parses the status line and headers of `head` (latin1). */
function parseHead(head: string): {
  status: number;
  contentLength: number;
  chunked: boolean;
  close: boolean;
  retryAfter: boolean;
} {
  const lines = head.split('\r\n');
  const status = Number(lines[0]!.split(' ')[1]);
  let contentLength = -2;
  let chunked = false;
  let close = false;
  let retryAfter = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') contentLength = Number(value);
    else if (name === 'transfer-encoding') chunked = value.includes('chunked');
    else if (name === 'connection') close = value === 'close';
    else if (name === 'retry-after') retryAfter = true;
  }
  return { status, contentLength, chunked, close, retryAfter };
}

/**
 * Consumes what it can of `r.buf`; true once the whole answer is read. A malformed answer throws.
 */
export function readAnswer(r: Reading): boolean {
  if (Number.isNaN(r.remaining)) {
    const end = r.buf.indexOf(CRLF2);
    if (end < 0) return false;
    const head = parseHead(r.buf.toString('latin1', 0, end));
    if (!Number.isInteger(head.status) || head.status < 100) throw new Error('malformed status line');
    r.status = head.status;
    r.retryAfter = head.retryAfter;
    r.close = head.close;
    r.buf = r.buf.subarray(end + 4);
    if (head.chunked) r.remaining = -1;
    else if (head.contentLength >= 0) r.remaining = head.contentLength;
    else if (head.status === 204 || head.status === 304) r.remaining = 0;
    else throw new Error('an answer with neither Content-Length nor chunked encoding');
  }
  if (r.remaining >= 0) {
    const take = Math.min(r.remaining, r.buf.length);
    r.remaining -= take;
    r.buf = r.buf.subarray(take);
    return r.remaining === 0;
  }
  // Chunked: size line, data, CRLF; a size of 0 ends it (no trailers are sent to us).
  for (;;) {
    const eol = r.buf.indexOf(CRLF);
    if (eol < 0) return false;
    const size = parseInt(r.buf.toString('latin1', 0, eol), 16);
    if (!Number.isFinite(size)) throw new Error('malformed chunk size');
    if (size === 0) {
      if (r.buf.length < eol + 4) return false;
      r.buf = r.buf.subarray(eol + 4);
      return true;
    }
    if (r.buf.length < eol + 2 + size + 2) return false;
    r.buf = r.buf.subarray(eol + 2 + size + 2);
  }
}

export class RawHttpPool {
  private readonly free: Conn[] = [];
  private readonly all = new Set<Conn>();
  private readonly sweep: NodeJS.Timeout;
  /** Connections opened in all. */
  opened = 0;

  constructor(private readonly options: RawHttpPoolOptions) {
    this.sweep = setInterval(() => this.expire(), Math.max(10, Math.min(100, options.timeoutMs / 4)));
    this.sweep.unref();
  }

  /** Writes `bytes` on a free (or new) connection; `done` is called exactly once. */
  send(bytes: Buffer, done: (o: RawOutcome) => void): void {
    const now = Date.now();
    let conn: Conn | undefined;
    while ((conn = this.free.pop())) {
      if (now - conn.idleSince < (this.options.idleMs ?? 4_000)) break;
      this.drop(conn);
    }
    conn ??= this.open();
    conn.current = {
      done,
      writtenAt: now,
      reading: { buf: Buffer.alloc(0), status: 0, retryAfter: false, close: false, remaining: NaN },
    };
    conn.socket.write(bytes);
  }

  close(): void {
    clearInterval(this.sweep);
    for (const c of [...this.all]) this.fail(c, { kind: 'connection', error: 'pool closed' });
  }

  private open(): Conn {
    const socket = connect({ host: this.options.host, port: this.options.port, noDelay: true });
    const conn: Conn = { socket, current: undefined, idleSince: Date.now() };
    this.all.add(conn);
    this.opened++;
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      this.fail(conn, { kind: 'connection', error: err.code ?? err.message }),
    );
    socket.on('close', () => this.fail(conn, { kind: 'connection', error: 'ECONNRESET' }));
    return conn;
  }

  private onData(conn: Conn, chunk: Buffer): void {
    const cur = conn.current;
    if (!cur) {
      // Bytes with no request outstanding: the connection is not to be trusted.
      this.drop(conn);
      return;
    }
    const r = cur.reading;
    r.buf = r.buf.length === 0 ? chunk : Buffer.concat([r.buf, chunk]);
    let complete: boolean;
    try {
      complete = readAnswer(r);
    } catch (err) {
      this.fail(conn, { kind: 'connection', error: `bad answer: ${(err as Error).message}` });
      return;
    }
    if (!complete) return;
    conn.current = undefined;
    if (r.close || r.buf.length > 0) this.drop(conn);
    else {
      conn.idleSince = Date.now();
      this.free.push(conn);
    }
    cur.done({ kind: 'status', status: r.status, retryAfter: r.retryAfter });
  }

  /** Ends the request on `conn` (if any) with `outcome`, and the connection with it. */
  private fail(conn: Conn, outcome: RawOutcome): void {
    const cur = conn.current;
    conn.current = undefined;
    this.drop(conn);
    cur?.done(outcome);
  }

  private drop(conn: Conn): void {
    if (!this.all.delete(conn)) return;
    const at = this.free.indexOf(conn);
    if (at >= 0) this.free.splice(at, 1);
    conn.socket.destroy();
  }

  private expire(): void {
    const now = Date.now();
    for (const c of this.all) {
      if (c.current && now - c.current.writtenAt > this.options.timeoutMs)
        this.fail(c, { kind: 'timeout', error: `no answer within ${this.options.timeoutMs} ms` });
    }
  }
}
