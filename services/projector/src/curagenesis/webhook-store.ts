import type { PoolClient } from 'pg';
import { CHANGES_CHANNEL } from '../domain/notify';
import { NOTIFICATIONS_CHANNEL, type NotificationAnnouncement } from './notify';
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

/** The event of deliveries already projected, by delivery id. */
export async function knownDeliveryEvents(
  db: PoolClient,
  deliveryIds: readonly string[],
): Promise<Map<string, string>> {
  if (deliveryIds.length === 0) return new Map();
  const res = await db.query<{ delivery_id: string; event: string }>(
    'SELECT delivery_id, event FROM curagenesis_webhook_deliveries WHERE delivery_id = ANY($1)',
    [deliveryIds],
  );
  return new Map(res.rows.map((r) => [r.delivery_id, r.event]));
}

/**
 * Creates each notification once (by dedupe key) and announces every new one on
 * NOTIFICATIONS_CHANNEL, and the table change on CHANGES_CHANNEL (delivered on commit).
 */
export async function createNotifications(
  db: PoolClient,
  drafts: readonly NotificationDraft[],
): Promise<NotificationAnnouncement[]> {
  const created: NotificationAnnouncement[] = [];
  for (const d of drafts) {
    const res = await db.query<{ id: string; practice_id: string | null; created_at: Date }>(
      `INSERT INTO curagenesis_notifications (kind, dedupe_key, practice_id, order_id, delivery_id, message)
       VALUES ($1, $2, COALESCE($3, (SELECT practice_id FROM curagenesis_practices WHERE user_id = $4 ORDER BY id LIMIT 1)), $5, $6, $7)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id::text, practice_id, created_at`,
      [d.kind, d.dedupeKey, d.practiceId, d.userId, d.orderId, d.deliveryId, d.message],
    );
    const row = res.rows[0];
    if (!row) continue;
    const announcement: NotificationAnnouncement = {
      id: row.id,
      kind: d.kind,
      practiceId: row.practice_id,
      orderId: d.orderId,
      message: d.message,
      createdAt: row.created_at.toISOString(),
    };
    created.push(announcement);
    await db.query('SELECT pg_notify($1, $2)', [NOTIFICATIONS_CHANNEL, JSON.stringify(announcement)]);
  }
  if (created.length) {
    await db.query('SELECT pg_notify($1, $2)', [
      CHANGES_CHANNEL,
      JSON.stringify({
        table: 'curagenesis_notifications',
        inserted: created.length,
        updated: 0,
        syncIds: [],
      }),
    ]);
  }
  return created;
}
