import type { Pool } from 'pg';
import { escapeIdentifier } from 'pg';
import { entitiesOf, SOURCES, type Source } from '@tributary/contracts';
import { rankStates, type StateRow } from '../domain/us-states';
import { existing } from './read-models';

/**
 * The dashboard's read-model queries beyond the row counts (read-models.ts): geography, rep
 * performance, freshness. The projector owns the tables: one not created yet counts as empty.
 */

/** The table's `<table>_live` view (rows not deleted at the source) once migration 008 made it. */
const live = (have: Set<string>, table: string): string =>
  escapeIdentifier(have.has(`${table}_live`) ? `${table}_live` : table);

/** RepCard customers and CuraGenesis practices (active, orders, revenue) by US state, ranked. */
export async function geography(pool: Pool): Promise<StateRow[]> {
  const have = await existing(pool, [
    'repcard_customers',
    'repcard_customers_live',
    'curagenesis_kpi_geographic_distribution',
  ]);
  const parts: {
    rawState: string | null;
    customers?: number;
    practices?: number;
    activePractices?: number;
    orders?: number;
    revenue?: number;
  }[] = [];
  if (have.has('repcard_customers')) {
    const { rows } = await pool.query<{ state: string | null; customers: string }>(
      `SELECT state, count(*)::bigint AS customers FROM ${live(have, 'repcard_customers')} GROUP BY state`,
    );
    for (const r of rows) parts.push({ rawState: r.state, customers: Number(r.customers) });
  }
  if (have.has('curagenesis_kpi_geographic_distribution')) {
    const { rows } = await pool.query<{
      state: string | null;
      practices: string;
      active_practices: string;
      orders: string;
      revenue: string;
    }>(
      `SELECT state, practices, active_practices, orders, revenue::text AS revenue
       FROM curagenesis_kpi_geographic_distribution`,
    );
    for (const r of rows) {
      parts.push({
        rawState: r.state,
        practices: Number(r.practices),
        activePractices: Number(r.active_practices),
        orders: Number(r.orders),
        revenue: Number(r.revenue),
      });
    }
  }
  return rankStates(parts);
}

export interface RepRow {
  repcardUserId: string;
  /** First and last name, or null when the user is not (yet) in repcard_users. */
  name: string | null;
  office: string | null;
  /** Appointments created in the window with this rep as setter. */
  appointmentsSet: number;
  /** Customers (door knocks, leads) created in the window with this rep as setter. */
  customers: number;
}

/**
 * RepCard reps ranked by appointments set, then customers, over the records created since `since`
 * (the old dashboard's "Sales Rep Performance", from the read models: no API call).
 */
export async function repPerformance(pool: Pool, since: Date, limit: number): Promise<RepRow[]> {
  const have = await existing(pool, [
    'repcard_appointments',
    'repcard_appointments_live',
    'repcard_customers',
    'repcard_customers_live',
    'repcard_users',
  ]);
  if (!have.has('repcard_appointments') || !have.has('repcard_customers') || !have.has('repcard_users'))
    return [];
  const { rows } = await pool.query<{
    uid: string;
    appointments_set: string;
    customers: string;
    first_name: string | null;
    last_name: string | null;
    office_name: string | null;
  }>(
    `WITH a AS (
       SELECT setter_user_id AS uid, count(*) AS n FROM ${live(have, 'repcard_appointments')}
       WHERE setter_user_id IS NOT NULL AND created_at >= $1 GROUP BY 1),
     c AS (
       SELECT setter_user_id AS uid, count(*) AS n FROM ${live(have, 'repcard_customers')}
       WHERE setter_user_id IS NOT NULL AND created_at >= $1 GROUP BY 1),
     r AS (
       SELECT COALESCE(a.uid, c.uid) AS uid, COALESCE(a.n, 0) AS appointments_set, COALESCE(c.n, 0) AS customers
       FROM a FULL JOIN c ON c.uid = a.uid)
     SELECT r.uid::text AS uid, r.appointments_set::bigint AS appointments_set, r.customers::bigint AS customers,
            u.first_name, u.last_name, u.office_name
     FROM r LEFT JOIN repcard_users u ON u.repcard_user_id = r.uid
     ORDER BY r.appointments_set DESC, r.customers DESC, r.uid
     LIMIT $2`,
    [since, limit],
  );
  return rows.map((r) => {
    const name = [r.first_name, r.last_name].filter((p) => p && p.trim()).join(' ');
    return {
      repcardUserId: r.uid,
      name: name === '' ? null : name,
      office: r.office_name,
      appointmentsSet: Number(r.appointments_set),
      customers: Number(r.customers),
    };
  });
}

export interface EntityFreshness {
  source: Source;
  entity: string;
  /** The read-model table, null when the projector has not created it. */
  table: string | null;
  rows: number | null;
  /** When the projector last wrote a row of the table (max synced_at). */
  newestRowAt: string | null;
  /** The entity's last completed sync (every fetched record projected). */
  lastSuccess: { syncId: string; syncType: string | null; completedAt: string } | null;
  /** The entity's latest sync whatever its outcome. */
  latest: { syncId: string; status: string; startedAt: string } | null;
}

/** Each source's entities: last successful sync, latest attempt, rows and the newest row's time. */
export async function freshness(pool: Pool): Promise<EntityFreshness[]> {
  const entities = SOURCES.flatMap((source) =>
    entitiesOf(source).map((entity) => ({ source, entity, table: `${source}_${entity}` })),
  );
  const have = await existing(pool, ['sync_log', ...entities.map((e) => e.table)]);
  const tables = entities.filter((e) => have.has(e.table)).map((e) => e.table);
  const stats = new Map<string, { rows: number; newest: string | null }>();
  if (tables.length > 0) {
    // Names come from the contracts' entity list, quoted anyway.
    const { rows } = await pool.query<{ t: string; rows: string; newest: Date | null }>(
      tables
        .map(
          (t, i) =>
            `SELECT $${i + 1}::text AS t, count(*)::bigint AS rows, max(synced_at) AS newest FROM ${escapeIdentifier(t)}`,
        )
        .join(' UNION ALL '),
      tables,
    );
    for (const r of rows) stats.set(r.t, { rows: Number(r.rows), newest: r.newest?.toISOString() ?? null });
  }
  const success = new Map<string, EntityFreshness['lastSuccess']>();
  const latest = new Map<string, EntityFreshness['latest']>();
  if (have.has('sync_log')) {
    const ok = await pool.query<{
      source: string;
      entity_type: string;
      sync_id: string;
      sync_type: string | null;
      completed_at: Date;
    }>(
      `SELECT DISTINCT ON (source, entity_type) source, entity_type, sync_id, sync_type, completed_at
       FROM sync_log WHERE status = 'completed' AND completed_at IS NOT NULL
       ORDER BY source, entity_type, completed_at DESC`,
    );
    for (const r of ok.rows)
      success.set(`${r.source}_${r.entity_type}`, {
        syncId: r.sync_id,
        syncType: r.sync_type,
        completedAt: r.completed_at.toISOString(),
      });
    const last = await pool.query<{
      source: string;
      entity_type: string;
      sync_id: string;
      status: string;
      started_at: Date;
    }>(
      `SELECT DISTINCT ON (source, entity_type) source, entity_type, sync_id, status, started_at
       FROM sync_log ORDER BY source, entity_type, started_at DESC`,
    );
    for (const r of last.rows)
      latest.set(`${r.source}_${r.entity_type}`, {
        syncId: r.sync_id,
        status: r.status,
        startedAt: r.started_at.toISOString(),
      });
  }
  return entities.map(({ source, entity, table }) => {
    const s = stats.get(table);
    return {
      source,
      entity,
      table: have.has(table) ? table : null,
      rows: s ? s.rows : null,
      newestRowAt: s ? s.newest : null,
      lastSuccess: success.get(table) ?? null,
      latest: latest.get(table) ?? null,
    };
  });
}
