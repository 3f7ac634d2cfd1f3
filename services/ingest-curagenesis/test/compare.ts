import type { Pool } from 'pg';
import { syncLogRows } from '@tributary/testkit';
import type { CuragenesisSimulator } from '../../../tools/sim-curagenesis/src';

export interface Difference {
  entity: 'practices' | 'orders';
  id: string;
  problem: string;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
/** Deep equality ignoring key order (jsonb reorders keys); flat records take the fast path. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) {
    return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(y, k) &&
      (x[k] === y[k] || (typeof x[k] === 'object' && same(x[k], y[k]))),
  );
}
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Compares the read models with the simulator's data set, record for record: every practice and every
 * order must be there, its raw_data equal to the record as served, and every column equal to the field
 * it comes from; every order linked to its practice; nothing else in the tables.
 */
export async function differences(pool: Pool, sim: CuragenesisSimulator, limit = 20): Promise<Difference[]> {
  const diffs: Difference[] = [];
  const add = (d: Difference) => diffs.length < limit && diffs.push(d);
  const ds = sim.dataset;

  const practices = await pool.query<{
    practice_id: string;
    user_id: string | null;
    cura_intake_id: string | null;
    state: string | null;
    specialty: string | null;
    sales_rep: string | null;
    total_orders: number | null;
    activated_at: Date | null;
    source_updated_at: Date | null;
    last_source: string;
    raw_data: unknown;
  }>(`SELECT practice_id, user_id, cura_intake_id, state, specialty, sales_rep, total_orders, activated_at, source_updated_at, last_source, raw_data
      FROM curagenesis_practices`);
  const pById = new Map(practices.rows.map((r) => [r.practice_id, r]));
  for (let i = 0; i < ds.countPractices(); i++) {
    const p = ds.practice(i);
    const row = pById.get(p.practiceId);
    if (!row) {
      add({ entity: 'practices', id: p.practiceId, problem: 'missing' });
      continue;
    }
    if (!same(row.raw_data, p))
      add({
        entity: 'practices',
        id: p.practiceId,
        problem: `raw_data ${JSON.stringify(row.raw_data)} vs ${JSON.stringify(p)}`,
      });
    const columns = {
      user_id: row.user_id,
      cura_intake_id: row.cura_intake_id,
      state: row.state,
      specialty: row.specialty,
      sales_rep: row.sales_rep,
      total_orders: row.total_orders,
      activated_at: iso(row.activated_at),
      source_updated_at: iso(row.source_updated_at),
      last_source: row.last_source,
    };
    const expected = {
      user_id: p.userId,
      cura_intake_id: p.curaIntakeId,
      state: p.state,
      specialty: p.specialty,
      sales_rep: p.salesRep,
      total_orders: p.totalOrders,
      activated_at: p.activatedAt === null ? null : new Date(p.activatedAt).toISOString(),
      source_updated_at: p.updatedAt,
      last_source: 'poll',
    };
    if (!same(columns, expected))
      add({
        entity: 'practices',
        id: p.practiceId,
        problem: `columns ${JSON.stringify(columns)} vs ${JSON.stringify(expected)}`,
      });
  }
  if (practices.rows.length !== ds.countPractices()) {
    add({
      entity: 'practices',
      id: '*',
      problem: `table has ${practices.rows.length} rows, simulator ${ds.countPractices()}`,
    });
  }

  const orders = await pool.query<{
    order_id: string;
    practice_id: string | null;
    linked_to: string | null;
    rep_id: string | null;
    total_amount: number | null;
    order_date: Date | null;
    invoice_id: string | null;
    invoice_total_due: number | null;
    invoice_due_date: string | null;
    paid: boolean | null;
    cost_of_goods: number | null;
    commission_amount: number | null;
    raw_data: unknown;
  }>(`SELECT o.order_id, o.practice_id, p.practice_id AS linked_to, o.rep_id, o.total_amount::float8 AS total_amount, o.order_date, o.invoice_id,
             o.invoice_total_due::float8 AS invoice_total_due, o.invoice_due_date::text AS invoice_due_date, o.paid, o.cost_of_goods::float8 AS cost_of_goods,
             o.commission_amount::float8 AS commission_amount, o.raw_data
      FROM curagenesis_orders o LEFT JOIN curagenesis_practices p ON p.id = o.practice_ref`);
  const oById = new Map(orders.rows.map((r) => [r.order_id, r]));
  for (let i = 0; i < ds.countOrders(); i++) {
    const o = ds.order(i);
    const row = oById.get(o.order_id);
    if (!row) {
      add({ entity: 'orders', id: o.order_id, problem: 'missing' });
      continue;
    }
    if (!same(row.raw_data, o))
      add({
        entity: 'orders',
        id: o.order_id,
        problem: `raw_data ${JSON.stringify(row.raw_data)} vs ${JSON.stringify(o)}`,
      });
    const columns = {
      practice_id: row.practice_id,
      linked_to: row.linked_to,
      rep_id: row.rep_id,
      total_amount: row.total_amount,
      order_date: iso(row.order_date),
      invoice_id: row.invoice_id,
      invoice_total_due: row.invoice_total_due,
      invoice_due_date: row.invoice_due_date,
      paid: row.paid,
      cost_of_goods: row.cost_of_goods,
      commission_amount: row.commission_amount,
    };
    const expected = {
      practice_id: o.practice_id,
      linked_to: o.practice_id,
      rep_id: o.rep_id,
      total_amount: o.total_amount,
      order_date: o.order_date,
      invoice_id: o.invoice_id,
      invoice_total_due: o.invoice_total_due,
      invoice_due_date: o.invoice_due_date,
      paid: o.paid,
      cost_of_goods: o.cost_of_goods,
      commission_amount: o.commission_amount,
    };
    if (!same(columns, expected))
      add({
        entity: 'orders',
        id: o.order_id,
        problem: `columns ${JSON.stringify(columns)} vs ${JSON.stringify(expected)}`,
      });
  }
  if (orders.rows.length !== ds.countOrders()) {
    add({
      entity: 'orders',
      id: '*',
      problem: `table has ${orders.rows.length} rows, simulator ${ds.countOrders()}`,
    });
  }
  return diffs;
}

export async function syncLog(pool: Pool, syncId: string) {
  const rows = await syncLogRows(pool, 'curagenesis_sync_log', syncId);
  return Object.fromEntries(rows.map((r) => [r.entity_type, r]));
}

/** Orders a run has projected so far (inserted, updated or unchanged), from its sync log. */
export async function ordersProjected(pool: Pool, syncId: string): Promise<number> {
  const res = await pool.query<{ n: number }>(
    `SELECT coalesce(sum(records_inserted + records_updated + records_unchanged), 0)::int AS n
     FROM sync_log WHERE sync_id = $1 AND entity_type = 'orders'`,
    [syncId],
  );
  return res.rows[0]!.n;
}
