import type { PoolClient } from 'pg';

/** The part of node-postgres' connection a COPY FROM STDIN needs (it frames CopyData and CopyDone). */
interface CopyConnection {
  query(text: string): void;
  endCopyFrom(): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

/**
 * `COPY ... FROM STDIN` through a plain pg client, as a pg "submittable" (the interface pg-cursor
 * and pg-copy-streams use): once the server is in copy-in mode, `messages` (complete CopyData
 * messages: CopyDataWriter) are pulled one by one and sent, waiting for the socket to drain, so
 * PostgreSQL parses one while the next is made and memory stays bounded whatever the row count.
 * Resolves with the row count the server reports; rejects with the server's error (a data error
 * keeps its SQLSTATE, for the isolation of ADR 0010). A throw from `messages` aborts the COPY
 * (CopyFail) and rejects with it.
 */
export function copyIn(client: PoolClient, sql: string, messages: Iterable<Buffer>): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    /** Ours (a throw from `messages`): it wins over the error the server answers a CopyFail with. */
    let failure: Error | undefined;
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err === undefined) resolve(rows);
      else reject(err);
    };
    const send = async (connection: CopyConnection): Promise<void> => {
      for (const message of messages) {
        if (failure) return;
        connection.stream.write(message);
        if (connection.stream.writableNeedDrain) await new Promise((r) => connection.stream.once('drain', r));
      }
      if (failure) return;
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
