import type { Pool, PoolClient } from 'pg';
import { renameTables, shadowName } from './shadow-spec';

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates an empty shadow of each of `tables` (ADR 0021): `CREATE TABLE <t>__rebuild (LIKE <t>
 * INCLUDING ALL)` (columns, defaults, NOT NULL and CHECK constraints, indexes, identity, comments),
 * then what LIKE leaves out: the foreign keys (re-pointed at the shadow of a parent rebuilt
 * together, so the children's links stay checked) and the table's grants. A shadow left by an
 * interrupted rebuild is dropped first. Runs inside the caller's transaction.
 */
export async function createShadows(db: PoolClient, tables: readonly string[]): Promise<void> {
  for (const t of tables) {
    await db.query(`DROP TABLE IF EXISTS ${shadowName(t)} CASCADE`);
    await db.query(`CREATE TABLE ${shadowName(t)} (LIKE ${t} INCLUDING ALL)`);
  }
  const fks = await db.query<{ tbl: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
     FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) ORDER BY conname`,
    [tables],
  );
  for (const fk of fks.rows) {
    const def = renameTables(fk.def, tables, shadowName);
    await db.query(`ALTER TABLE ${shadowName(bare(fk.tbl))} ADD CONSTRAINT ${quoteIdent(fk.name)} ${def}`);
  }
  const grants = await db.query<{
    tbl: string;
    grantee: string | null;
    privilege: string;
    grantable: boolean;
  }>(
    `SELECT c.relname AS tbl, CASE WHEN a.grantee = 0 THEN NULL ELSE a.grantee::regrole::text END AS grantee,
            a.privilege_type AS privilege, a.is_grantable AS grantable
     FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
     WHERE c.oid = ANY($1::regclass[]) AND a.grantee <> c.relowner`,
    [tables],
  );
  for (const g of grants.rows) {
    await db.query(
      `GRANT ${g.privilege} ON ${shadowName(g.tbl)} TO ${g.grantee ?? 'PUBLIC'}${g.grantable ? ' WITH GRANT OPTION' : ''}`,
    );
  }
}

/** Drops the shadows of `tables` (a rebuild that failed before its swap). */
export async function dropShadows(db: PoolClient, tables: readonly string[]): Promise<void> {
  for (const t of tables) await db.query(`DROP TABLE IF EXISTS ${shadowName(t)} CASCADE`);
}

/**
 * `ANALYZE` of each filled shadow, before the swap: the tables go live with the planner's
 * statistics instead of waiting for autovacuum (until then a table just filled plans as if empty).
 * Not `VACUUM`: it read and wrote every page again, a tenth of a 200k rebuild, for what autovacuum
 * does later anyway (an autovacuum holding a shadow only makes the swap wait: `lockGivingWay`).
 */
export async function analyzeShadows(pool: Pool, tables: readonly string[]): Promise<void> {
  for (const t of tables) await pool.query(`ANALYZE ${shadowName(t)}`);
}

/** `public.repcard_customers` → `repcard_customers` (regclass text is qualified off the search path). */
export function bare(regclass: string): string {
  const name = regclass.includes('.') ? regclass.slice(regclass.lastIndexOf('.') + 1) : regclass;
  return name.replace(/^"|"$/g, '');
}
