import type { Pool } from 'pg';
import { escapeIdentifier } from 'pg';
import type { Source } from '@tributary/contracts';

/**
 * The read-model tables the dashboard counts, per source. The projector owns them (and their
 * migrations): a table not created yet is left out of the counts rather than failing.
 */
export const READ_MODEL_TABLES: Readonly<Record<Source, readonly string[]>> = {
  repcard: [
    'repcard_users',
    'repcard_offices',
    'repcard_customers',
    'repcard_appointments',
    'repcard_status_logs',
    'repcard_customer_attachments',
    'repcard_appointment_attachments',
  ],
  curagenesis: [
    'curagenesis_practices',
    'curagenesis_orders',
    'curagenesis_order_items',
    'curagenesis_webhook_deliveries',
    'curagenesis_notifications',
  ],
};

/** The CuraGenesis KPI totals, from the projector's KPI views (null while they do not exist). */
export interface CuragenesisKpis {
  totalOrders: number;
  revenue: string;
  paidOrders: number;
  outstanding: string;
  activePractices: number;
  totalPractices: number;
}

/** Which of `names` exist as tables or views in the current database (to_regclass: no error for missing ones). */
export async function existing(pool: Pool, names: readonly string[]): Promise<Set<string>> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NOT NULL`,
    [names],
  );
  return new Set(rows.map((r) => r.name));
}

/** Row counts of every read-model table that exists, by source then table (exact `count(*)`). */
export async function readModelCounts(pool: Pool): Promise<Record<Source, Record<string, number>>> {
  const all = Object.values(READ_MODEL_TABLES).flat();
  const present = await existing(pool, all);
  const tables = all.filter((t) => present.has(t));
  const counts = new Map<string, number>();
  if (tables.length > 0) {
    // Names come from the constant above, quoted anyway.
    const selects = tables.map(
      (t) => `(SELECT count(*) FROM ${escapeIdentifier(t)})::bigint AS ${escapeIdentifier(t)}`,
    );
    const { rows } = await pool.query<Record<string, string>>(`SELECT ${selects.join(', ')}`);
    for (const t of tables) counts.set(t, Number(rows[0]?.[t] ?? 0));
  }
  const out = {} as Record<Source, Record<string, number>>;
  for (const [source, names] of Object.entries(READ_MODEL_TABLES) as [Source, readonly string[]][]) {
    out[source] = Object.fromEntries(names.filter((t) => counts.has(t)).map((t) => [t, counts.get(t)!]));
  }
  return out;
}

/** The CuraGenesis KPI totals, or null when the projector has not created the KPI views yet. */
export async function curagenesisKpis(pool: Pool): Promise<CuragenesisKpis | null> {
  const views = ['curagenesis_kpi_total_orders', 'curagenesis_kpi_active_practices'];
  const present = await existing(pool, views);
  if (!views.every((v) => present.has(v))) return null;
  const { rows } = await pool.query<{
    total_orders: string;
    revenue: string;
    paid_orders: string;
    outstanding: string;
    active_practices: string;
    total_practices: string;
  }>(
    `SELECT o.total_orders, o.revenue::text AS revenue, o.paid_orders, o.outstanding::text AS outstanding,
            p.active_practices, p.total_practices
     FROM curagenesis_kpi_total_orders o CROSS JOIN curagenesis_kpi_active_practices p`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    totalOrders: Number(r.total_orders),
    revenue: r.revenue,
    paidOrders: Number(r.paid_orders),
    outstanding: r.outstanding,
    activePractices: Number(r.active_practices),
    totalPractices: Number(r.total_practices),
  };
}
