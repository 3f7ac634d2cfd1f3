import type { PoolClient } from 'pg';

/** The part of node-postgres' connection a COPY FROM STDIN needs (it frames CopyData and CopyDone). */
interface CopyConnection {
  query(text: string): void;
  endCopyFrom(): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

/** Flush the COPY text to the server in pieces of about this many bytes. */
const CHUNK_BYTES = 64 * 1024;

/**
 * One CopyData message ('d', its length, the text as UTF-8), encoded straight into the buffer sent:
 * what pg's sendCopyFromChunk sends for `Buffer.from(text)`, without that buffer and pg's copy of it.
 */
export function copyDataMessage(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const message = Buffer.allocUnsafe(5 + length);
  message[0] = 0x64; // 'd'
  message.writeInt32BE(4 + length, 1);
  message.write(text, 5, 'utf8');
  return message;
}

/**
 * `COPY ... FROM STDIN` through a plain pg client, as a pg "submittable" (the interface pg-cursor
 * and pg-copy-streams use): once the server is in copy-in mode, `lines` is pulled line by line and
 * sent in chunks of about 64 kB, waiting for the socket to drain, so PostgreSQL parses one chunk
 * while the next is made and memory stays bounded whatever the row count. Resolves with the row
 * count the server reports; rejects with the server's error (a data error keeps its SQLSTATE, for
 * the isolation of ADR 0010). A throw from `lines` aborts the COPY (CopyFail) and rejects with it.
 */
export function copyIn(client: PoolClient, sql: string, lines: Iterable<string>): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    /** Ours (a throw from `lines`): it wins over the error the server answers a CopyFail with. */
    let failure: Error | undefined;
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err === undefined) resolve(rows);
      else reject(err);
    };
    const send = async (connection: CopyConnection): Promise<void> => {
      let pending = '';
      for (const line of lines) {
        if (failure) return;
        pending += line;
        if (pending.length < CHUNK_BYTES) continue;
        connection.stream.write(copyDataMessage(pending));
        pending = '';
        if (connection.stream.writableNeedDrain) await new Promise((r) => connection.stream.once('drain', r));
      }
      if (failure) return;
      if (pending) connection.stream.write(copyDataMessage(pending));
      connection.endCopyFrom();
    };
    const submittable = {
      submit(connection: CopyConnection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: CopyConnection) {
        send(connection).catch((err: unknown) => {
          failure ??= err instanceof Error ? err : new Error(String(err));
          (connection as unknown as { sendCopyFail(msg: string): void }).sendCopyFail(failure.message);
        });
      },
      handleCommandComplete(msg: { text?: string }) {
        rows = Number(/\d+$/.exec(msg.text ?? '')?.[0] ?? 0);
      },
      handleError(err: Error) {
        // Settled at once, as pg's own queries do: a lost connection sends no ReadyForQuery.
        settle(failure ?? err);
        failure ??= err;
      },
      handleReadyForQuery() {
        settle(failure);
      },
      handleEmptyQuery() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleCopyData() {},
      handlePortalSuspended() {},
    };
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}
