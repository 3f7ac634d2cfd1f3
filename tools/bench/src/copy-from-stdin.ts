import type { PoolClient } from 'pg';

/** The part of pg's connection a COPY FROM STDIN needs (pg sends CopyData/CopyDone for us). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

/**
 * `COPY ... FROM STDIN` through a plain pg client, without a streams package: a pg "submittable"
 * that sends `chunks` as CopyData (waiting for the socket to drain) once the server is in copy-in
 * mode. Resolves with the number of rows the server copied.
 */
export function copyFromStdin(client: PoolClient, sql: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let failure: Error | undefined;
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(rows);
    };
    const submittable = {
      submit(connection: CopyConnection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: CopyConnection) {
        void (async () => {
          for (const chunk of chunks) {
            if (failure) return;
            connection.sendCopyFromChunk(chunk);
            if (connection.stream.writableNeedDrain)
              await new Promise((r) => connection.stream.once('drain', r));
          }
          connection.endCopyFrom();
        })();
      },
      handleCommandComplete(msg: { text?: string }) {
        rows = Number(/\d+$/.exec(msg.text ?? '')?.[0] ?? 0);
      },
      handleError(err: Error) {
        failure = err;
        settle(err);
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
