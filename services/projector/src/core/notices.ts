import type { PoolClient } from 'pg';
import { runAtCommit } from './query-together';
import { NOTIFY_CHANNELS, type ChangeNotice, type NotificationAnnouncement } from '@tributary/read-model';

/** One NOTIFY a projection asks for, on a channel of @tributary/read-model with its payload type. */
export type Notice =
  | { channel: 'changes'; payload: ChangeNotice }
  | { channel: 'notifications'; payload: NotificationAnnouncement };

/** The change notice of one table, or none when nothing was inserted or updated. */
export function changed(
  table: string,
  inserted: number,
  updated: number,
  syncIds: readonly string[] = [],
): Notice[] {
  return inserted + updated > 0
    ? [{ channel: 'changes', payload: { table, inserted, updated, syncIds: [...syncIds] } }]
    : [];
}

/**
 * Sends every notice in one statement, in order (delivered when the transaction commits): with the
 * COMMIT itself when the transaction allows it (runAtCommit, no round trip of its own), else now.
 */
export async function sendNotices(db: PoolClient, notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0) return;
  await runAtCommit(db, {
    text: `SELECT pg_notify(x.channel, x.payload) FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(channel, payload, n) ORDER BY x.n`,
    values: [notices.map((n) => NOTIFY_CHANNELS[n.channel]), notices.map((n) => fitted(n.payload))],
  });
}

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (SQLSTATE 22023). */
const MAX_PAYLOAD_BYTES = 7999;
const CUT_STRING = 200;
const CUT_ARRAY = 20;

/**
 * The payload as JSON, its long strings and lists cut when it would not fit a NOTIFY (a record with
 * an absurdly long name must not fail the transaction of its whole batch, after its records were
 * isolated): a notice is a hint to re-read the table, the rows keep the whole values.
 */
export function fitted(payload: object): string {
  const json = JSON.stringify(payload);
  if (Buffer.byteLength(json) <= MAX_PAYLOAD_BYTES) return json;
  const cut = (v: unknown): unknown =>
    typeof v === 'string' ? v.slice(0, CUT_STRING) : Array.isArray(v) ? v.slice(0, CUT_ARRAY).map(cut) : v;
  return JSON.stringify(Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, cut(v)])));
}
