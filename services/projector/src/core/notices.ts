import type { PoolClient } from 'pg';
import { NOTIFY_CHANNELS, type ChangeNotice, type NotificationAnnouncement } from '@tributary/read-model';

/** One NOTIFY a projection asks for, on a channel of @tributary/read-model with its payload type. */
export type Notice =
  | { channel: 'changes'; payload: ChangeNotice }
  | { channel: 'notifications'; payload: NotificationAnnouncement };

/** The change notice of one table, or none when nothing was inserted or updated. */
export function changed(table: string, inserted: number, updated: number, syncIds: readonly string[] = []): Notice[] {
  return inserted + updated > 0 ? [{ channel: 'changes', payload: { table, inserted, updated, syncIds: [...syncIds] } }] : [];
}

/** Sends every notice in one statement, in order (delivered when the transaction commits). */
export async function sendNotices(db: PoolClient, notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0) return;
  await db.query(
    `SELECT pg_notify(x.channel, x.payload) FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(channel, payload, n) ORDER BY x.n`,
    [notices.map((n) => NOTIFY_CHANNELS[n.channel]), notices.map((n) => JSON.stringify(n.payload))],
  );
}
