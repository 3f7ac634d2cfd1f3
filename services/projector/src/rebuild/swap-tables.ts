import type { PoolClient } from 'pg';
import { TributaryError } from '@tributary/core';
import type { TableSpec } from '../core/table-spec';
import { bare } from './shadow-tables';
import { oldName, shadowName } from './shadow-spec';

interface DependentView {
  view: string;
  def: string;
}

/**
 * The views that read the live tables directly (`<table>_live`, the KPI views, ...), with their
 * definitions as text: PostgreSQL binds a view to a table's oid, so after the rename a view would
 * follow the old table. `CREATE OR REPLACE VIEW` with the same text after the rename re-binds it
 * to the new table keeping its oid, grants, owner, comment and the views built on it. A
 * materialized view cannot be replaced that way: refused.
 */
async function dependentViews(db: PoolClient, tables: readonly string[]): Promise<DependentView[]> {
  const res = await db.query<DependentView & { kind: string }>(
    `SELECT DISTINCT v.oid::regclass::text AS view, v.relkind::text AS kind, pg_get_viewdef(v.oid) AS def
     FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
     WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
       AND d.refobjid = ANY($1::regclass[]) AND r.ev_class <> d.refobjid
     ORDER BY 1`,
    [tables],
  );
  const materialized = res.rows.filter((r) => r.kind !== 'v');
  if (materialized.length > 0) {
    throw new TributaryError(
      'REBUILD_FAILED',
      `cannot swap tables read by materialized views: ${materialized.map((r) => r.view).join(', ')}`,
    );
  }
  return res.rows.map(({ view, def }) => ({ view, def }));
}

/** Sequences owned by a column of the live tables (bigserial ids): re-owned by the new table before the old one is dropped. */
async function ownedSequences(
  db: PoolClient,
  tables: readonly string[],
): Promise<{ seq: string; tbl: string; col: string }[]> {
  const res = await db.query<{ seq: string; tbl: string; col: string }>(
    `SELECT s.oid::regclass::text AS seq, d.refobjid::regclass::text AS tbl, a.attname::text AS col
     FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
     JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.refobjid = ANY($1::regclass[]) AND d.deptype = 'a'`,
    [tables],
  );
  return res.rows.map((r) => ({ ...r, tbl: bare(r.tbl) }));
}

interface IndexRow {
  name: string;
  tbl: string;
  def: string;
}

/** An index's definition without its own and its table's names: `UNIQUE USING btree (id)`. */
export function indexShape(def: string): string {
  return def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ /, (_m, unique?: string) => unique ?? '');
}

async function indexesOf(db: PoolClient, tables: readonly string[]): Promise<IndexRow[]> {
  const res = await db.query<IndexRow>(
    `SELECT c.relname::text AS name, i.indrelid::regclass::text AS tbl, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ANY($1::regclass[]) ORDER BY 1`,
    [tables],
  );
  return res.rows.map((r) => ({ ...r, tbl: bare(r.tbl) }));
}

/** Shadow index → the live index name it takes after the swap (matched by table and shape). */
function indexRenames(live: readonly IndexRow[], shadow: readonly IndexRow[]): [string, string][] {
  const free = [...shadow];
  const out: [string, string][] = [];
  for (const l of live) {
    const i = free.findIndex((s) => s.tbl === shadowName(l.tbl) && indexShape(s.def) === indexShape(l.def));
    if (i < 0) continue;
    out.push([free[i]!.name, l.name]);
    free.splice(i, 1);
  }
  return out;
}

/**
 * The deletion marks (ADR 0018) are not in the source's topics: a sweep decides them from the
 * sync log. A live row marked deleted keeps its mark in the shadow unless the shadow saw the
 * record since (the same rule as the upsert's: seen at or after the deletion = live again).
 */
async function carryDeletionMarks(db: PoolClient, spec: TableSpec): Promise<void> {
  await db.query(
    `UPDATE ${shadowName(spec.table)} s SET deleted_at = l.deleted_at, deleted_by_sync_id = l.deleted_by_sync_id
     FROM ${spec.table} l
     WHERE s.${spec.key} = l.${spec.key} AND l.deleted_at IS NOT NULL
       AND (s.last_seen_at IS NULL OR s.last_seen_at < l.deleted_at)`,
  );
}

const LOCK_ATTEMPT_MS = 100;
const LOCK_ATTEMPTS = 300;

/**
 * Locks `relations` in `mode` inside the caller's transaction, tried for 100 ms under a savepoint,
 * released and tried again while others hold them (for up to 30 s). A reader locks a view and then
 * its table, or one table and then another, and a projector transaction one table after another, so
 * waiting for all of them at once could close a cycle; giving way long before PostgreSQL's deadlock
 * check (1 s) means no reader or projector ever gets a deadlock error: they only wait. The caller's
 * `lock_timeout` is put back once the locks are held: the 100 ms of an attempt must not outlive it
 * (it did: the swap's next lock, on a shadow table an autovacuum held, failed at 1M rows).
 */
export async function lockGivingWay(
  db: PoolClient,
  relations: readonly string[],
  mode: 'EXCLUSIVE' | 'ACCESS EXCLUSIVE',
): Promise<void> {
  const before = await db.query<{ t: string }>(`SELECT current_setting('lock_timeout') AS t`);
  for (let attempt = 1; ; attempt++) {
    await db.query('SAVEPOINT tributary_swap_lock');
    try {
      await db.query(`SET LOCAL lock_timeout = ${LOCK_ATTEMPT_MS}`);
      await db.query(`LOCK TABLE ${relations.join(', ')} IN ${mode} MODE`);
      await db.query('RELEASE SAVEPOINT tributary_swap_lock');
      await db.query(`SELECT set_config('lock_timeout', $1, true)`, [before.rows[0]!.t]);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55P03' || attempt >= LOCK_ATTEMPTS) throw err;
      await db.query('ROLLBACK TO SAVEPOINT tributary_swap_lock');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * LOCK_ATTEMPT_MS));
    }
  }
}

/**
 * Puts the shadows in place of the live tables inside the caller's transaction (ADR 0021): the
 * deletion marks carried over, live → `<t>__rebuild_old`, shadow → live, the dependent views
 * re-bound, the id sequences re-owned, the old tables dropped (without CASCADE: anything else that
 * still depends on them fails the swap, and the rollback leaves the live tables as they were), and
 * the shadow indexes given the live indexes' names. Readers see the old tables or the new ones.
 */
export async function swapInShadows(db: PoolClient, specs: readonly TableSpec[]): Promise<void> {
  const tables = specs.map((s) => s.table);
  for (const spec of specs) await carryDeletionMarks(db, spec);
  const views = await dependentViews(db, tables);
  const sequences = await ownedSequences(db, tables);
  const renames = indexRenames(await indexesOf(db, tables), await indexesOf(db, tables.map(shadowName)));
  await lockGivingWay(db, [...views.map((v) => v.view), ...tables], 'ACCESS EXCLUSIVE');
  for (const t of tables) {
    await db.query(`ALTER TABLE ${t} RENAME TO ${oldName(t)}`);
    await db.query(`ALTER TABLE ${shadowName(t)} RENAME TO ${t}`);
  }
  for (const v of views) await db.query(`CREATE OR REPLACE VIEW ${v.view} AS ${v.def}`);
  for (const s of sequences) await db.query(`ALTER SEQUENCE ${s.seq} OWNED BY ${s.tbl}.${s.col}`);
  await db.query(`DROP TABLE ${tables.map(oldName).join(', ')}`);
  for (const [from, to] of renames) await db.query(`ALTER INDEX "${from}" RENAME TO "${to}"`);
}
