import type { PoolClient } from 'pg';
import type { Statement } from '../../core/query-together';
import type { NotificationAnnouncement } from '@tributary/read-model';
import type { DeliveryRow, NotificationDraft } from './webhooks';

/** Inserts the deliveries not seen before; returns the ids actually inserted (a replay inserts nothing). */
export async function insertDeliveries(db: PoolClient, rows: readonly DeliveryRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const res = await db.query<{ delivery_id: string }>(
    `INSERT INTO curagenesis_webhook_deliveries
       (delivery_id, endpoint, event, known, signature_scheme, webhook_timestamp, received_at, body)
     SELECT x.delivery_id, x.endpoint, x.event, x.known, x.signature_scheme, x.webhook_timestamp, x.received_at, x.body
     FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::jsonb[])
       AS x(delivery_id, endpoint, event, known, signature_scheme, webhook_timestamp, received_at, body)
     ON CONFLICT (delivery_id) DO NOTHING
     RETURNING delivery_id`,
    [
      rows.map((r) => r.delivery_id),
      rows.map((r) => r.endpoint),
      rows.map((r) => r.event),
      rows.map((r) => r.known),
      rows.map((r) => r.signature_scheme),
      rows.map((r) => r.webhook_timestamp),
      rows.map((r) => r.received_at),
      rows.map((r) => JSON.stringify(r.body)),
    ],
  );
  return new Set(res.rows.map((r) => r.delivery_id));
}

/** A delivery already projected: its event, and when it was FIRST received (a replay keeps that). */
export interface KnownDelivery {
  event: string;
  receivedAt: string;
}

/** The deliveries already projected, by delivery id. */
export async function knownDeliveries(
  db: PoolClient,
  deliveryIds: readonly string[],
): Promise<Map<string, KnownDelivery>> {
  if (deliveryIds.length === 0) return new Map();
  const res = await db.query<{ delivery_id: string; event: string; received_at: Date }>(
    'SELECT delivery_id, event, received_at FROM curagenesis_webhook_deliveries WHERE delivery_id = ANY($1)',
    [deliveryIds],
  );
  return new Map(
    res.rows.map((r) => [r.delivery_id, { event: r.event, receivedAt: r.received_at.toISOString() }]),
  );
}

/** A notification row as its INSERT returns it. */
export interface CreatedNotificationRow {
  dedupe_key: string;
  id: string;
  practice_id: string | null;
  created_at: Date;
}

/**
 * The INSERT that creates each notification once (by dedupe key), none for no drafts; its rows go to
 * announcementsOf. One statement whatever the number of drafts: this runs for every batch of
 * webhook deliveries.
 */
export function notificationStatement(drafts: readonly NotificationDraft[]): Statement | undefined {
  if (drafts.length === 0) return undefined;
  return {
    text: `INSERT INTO curagenesis_notifications (kind, dedupe_key, practice_id, order_id, delivery_id, message)
     SELECT x.kind, x.dedupe_key,
            COALESCE(x.practice_id, (SELECT p.practice_id FROM curagenesis_practices p WHERE p.user_id = x.user_id ORDER BY p.id LIMIT 1)),
            x.order_id, x.delivery_id, x.message
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
       AS x(kind, dedupe_key, practice_id, user_id, order_id, delivery_id, message, n)
     ORDER BY x.n
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING dedupe_key, id::text, practice_id, created_at`,
    values: [
      drafts.map((d) => d.kind),
      drafts.map((d) => d.dedupeKey),
      drafts.map((d) => d.practiceId),
      drafts.map((d) => d.userId),
      drafts.map((d) => d.orderId),
      drafts.map((d) => d.deliveryId),
      drafts.map((d) => d.message),
    ],
  };
}

/** The notifications the INSERT created, as announced, in id order. */
export function announcementsOf(
  drafts: readonly NotificationDraft[],
  rows: readonly CreatedNotificationRow[],
): NotificationAnnouncement[] {
  const byKey = new Map(rows.map((r) => [r.dedupe_key, r]));
  const created: NotificationAnnouncement[] = [];
  const announced = new Set<string>();
  for (const d of drafts) {
    const row = byKey.get(d.dedupeKey);
    // Two drafts with one dedupe key in a batch: the first was inserted, the second is not news.
    if (!row || announced.has(row.id)) continue;
    announced.add(row.id);
    created.push({
      id: row.id,
      kind: d.kind,
      practiceId: row.practice_id,
      orderId: d.orderId,
      message: d.message,
      createdAt: row.created_at.toISOString(),
    });
  }
  return created.sort((a, b) => Number(a.id) - Number(b.id));
}
