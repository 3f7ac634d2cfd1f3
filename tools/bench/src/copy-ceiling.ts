import type { Pool } from 'pg';
import type { TableSpec } from '../../../services/projector/src/core/table-spec';
import type { RowWrite } from '../../../services/projector/src/core/row-changes';
import { copyFromStdin } from './copy-from-stdin';
import { copyTextLine } from './copy-text';
import { writeValues } from './customer-rows';

/**
 * The fastest way this PostgreSQL takes the rows with the projector's guarantees: `COPY` into a
 * temporary table, then one `INSERT ... SELECT ... ON CONFLICT DO UPDATE` with the projector's
 * version guard (a row is replaced only by a newer version, or the same version with other
 * content), all in one transaction. Timed: turning the writes into COPY text, and the transaction.
 * Not timed: making the writes (the caller's chunks are produced before the clock starts).
 */
export async function copyUpsert(
  pool: Pool,
  spec: TableSpec,
  columns: readonly string[],
  chunks: Iterable<RowWrite[]>,
): Promise<{ rows: number; secs: number }> {
  let encodeMs = 0;
  const buffers: Buffer[] = [];
  for (const writes of chunks) {
    const t = performance.now();
    buffers.push(Buffer.from(writes.map((w) => copyTextLine(writeValues(columns, w))).join('')));
    encodeMs += performance.now() - t;
  }
  const list = columns.join(', ');
  const updates = columns.filter((c) => c !== spec.key).map((c) => `${c} = excluded.${c}`);
  const client = await pool.connect();
  try {
    const t = performance.now();
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE bench_stage ON COMMIT DROP AS SELECT ${list} FROM ${spec.table} WITH NO DATA`,
    );
    const rows = await copyFromStdin(client, `COPY bench_stage (${list}) FROM STDIN`, buffers);
    await client.query(
      `INSERT INTO ${spec.table} AS t (${list}) SELECT ${list} FROM bench_stage
       ON CONFLICT (${spec.key}) DO UPDATE SET ${updates.join(', ')}, synced_at = now()
       WHERE t.version_at < excluded.version_at
          OR (t.version_at = excluded.version_at AND t.raw_data IS DISTINCT FROM excluded.raw_data)`,
    );
    await client.query('COMMIT');
    return { rows, secs: (encodeMs + performance.now() - t) / 1000 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
