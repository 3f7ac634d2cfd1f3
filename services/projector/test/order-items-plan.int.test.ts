import type { Pool } from 'pg';
import type { TestDatabase } from '@tributary/testkit';
import { inlined, type Statement } from '../src/core/query-together';
import { orderItemStatements, replaceOrderItems } from '../src/projections/curagenesis/item-store';
import type { ItemSet } from '../src/projections/curagenesis/plan';
import { dropDatabase, migratedDatabase } from './migrated-database';

/**
 * The order lines are looked up by order through the (order_id, line_no) index, whatever the batch:
 * written as plain joins, a batch of a few hundred orders made PostgreSQL hash the whole lines table
 * (a sequential scan per batch, growing with the table), and a late projector's bigger batches then
 * took longer still.
 */
let db: TestDatabase;
let pool: Pool;

const OLD = '2026-01-01T00:00:00.000Z';
const NEW = '2026-02-01T00:00:00.000Z';
const ORDERS = 40_000;

function sets(from: number, count: number, versionAt: string, lines = 3): ItemSet[] {
  return Array.from({ length: count }, (_, i) => ({
    orderId: `ORD-${from + i}`,
    versionAt,
    items: Array.from({ length: lines }, (_, l) => ({
      line_no: l + 1,
      sku: `SKU-${l}`,
      product_name: 'Gauze',
      quantity: 1,
      unit_price: 9.5,
    })),
  }));
}

beforeAll(async () => {
  ({ db, pool } = await migratedDatabase());
  // 120,000 lines of 40,000 orders, analysed: a table a hash join would read whole.
  await pool.query(
    `INSERT INTO curagenesis_order_items (order_id, line_no, sku, product_name, quantity, unit_price, version_at)
     SELECT 'ORD-' || (g / 3), g % 3 + 1, 'SKU', 'Gauze', 1, 9.5, $1::timestamptz
     FROM generate_series(0, $2::int * 3 - 1) g`,
    [OLD, ORDERS],
  );
  await pool.query('ANALYZE curagenesis_order_items');
}, 60_000);
afterAll(() => dropDatabase(db, pool));

/** The plan PostgreSQL ran for `statement`, as sent (parameters inlined), rolled back. */
async function plan(statement: Statement): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const res = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF) ${inlined(client, statement)}`,
    );
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

test('when a batch of 1,500 orders replaces lines in a table of 120,000, then neither statement reads the whole table', async () => {
  // 1,000 orders the table holds (their lines get replaced) and 500 new ones.
  const batch = [...sets(ORDERS - 1000, 1000, NEW), ...sets(ORDERS, 500, NEW)];
  const statements = orderItemStatements(batch);
  expect(statements).toHaveLength(2);
  for (const statement of statements) {
    const text = await plan(statement);
    expect(text).toContain('curagenesis_order_items_order_id_line_no_key');
    expect(text).not.toMatch(/Seq Scan on curagenesis_order_items/);
  }
});

test('when lines are replaced in such a table, then newer lines replace older ones and older ones change nothing', async () => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Newer lines (1) for an order holding 3, and an older set (5 lines) for another: ignored.
    await replaceOrderItems(client, [...sets(7, 1, NEW, 1), ...sets(8, 1, '2025-12-01T00:00:00.000Z', 5)]);
    const res = await client.query<{ order_id: string; n: number; v: Date }>(
      `SELECT order_id, count(*)::int AS n, max(version_at) AS v FROM curagenesis_order_items
       WHERE order_id IN ('ORD-7', 'ORD-8') GROUP BY order_id ORDER BY order_id`,
    );
    expect(res.rows.map((r) => [r.order_id, r.n, r.v.toISOString()])).toEqual([
      ['ORD-7', 1, NEW],
      ['ORD-8', 3, OLD],
    ]);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});
