import type { PoolClient } from 'pg';
import type { ItemSet } from './plan';

/**
 * Replaces the lines of each order whose incoming version is newer than the stored lines' version;
 * an older or equal version changes nothing (so a delivery seen twice writes its lines once).
 */
export async function replaceOrderItems(db: PoolClient, sets: readonly ItemSet[]): Promise<number> {
  if (sets.length === 0) return 0;
  await db.query(
    `DELETE FROM curagenesis_order_items i
     USING unnest($1::text[], $2::timestamptz[]) AS x(order_id, version_at)
     WHERE i.order_id = x.order_id AND i.version_at < x.version_at`,
    [sets.map((s) => s.orderId), sets.map((s) => s.versionAt)],
  );
  const lines = sets.flatMap((s) =>
    s.items.map((item) => ({ ...item, order_id: s.orderId, version_at: s.versionAt })),
  );
  if (lines.length === 0) return 0;
  const res = await db.query(
    `INSERT INTO curagenesis_order_items (order_id, line_no, sku, product_name, quantity, unit_price, version_at)
     SELECT x.* FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::timestamptz[])
       AS x(order_id, line_no, sku, product_name, quantity, unit_price, version_at)
     WHERE NOT EXISTS (SELECT 1 FROM curagenesis_order_items i WHERE i.order_id = x.order_id AND i.version_at >= x.version_at)
     ON CONFLICT (order_id, line_no) DO NOTHING`,
    [
      lines.map((l) => l.order_id),
      lines.map((l) => l.line_no),
      lines.map((l) => l.sku),
      lines.map((l) => l.product_name),
      lines.map((l) => l.quantity),
      lines.map((l) => l.unit_price),
      lines.map((l) => l.version_at),
    ],
  );
  return res.rowCount ?? 0;
}
