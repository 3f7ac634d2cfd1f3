import type { TableSpec } from '../core/table-spec';

/** The shadow of a read-model table a rebuild writes (`<table>__rebuild`, ADR 0021). */
export const SHADOW_SUFFIX = '__rebuild';
/** What a live table is renamed to for the instant of the swap, before it is dropped. */
export const OLD_SUFFIX = '__rebuild_old';

export const shadowName = (table: string): string => `${table}${SHADOW_SUFFIX}`;
export const oldName = (table: string): string => `${table}${OLD_SUFFIX}`;

/** A regular expression matching any of `tables` as a whole SQL identifier. */
function tablePattern(tables: readonly string[]): RegExp {
  const names = [...tables].sort((a, b) => b.length - a.length).map((t) => t.replace(/[^a-z0-9_]/gi, ''));
  return new RegExp(`(?<![A-Za-z0-9_])(${names.join('|')})(?![A-Za-z0-9_])`, 'g');
}

/** `sql` with every table of `tables` it names replaced by `rename(table)` (one pass). */
export function renameTables(sql: string, tables: readonly string[], rename: (t: string) => string): string {
  if (tables.length === 0) return sql;
  return sql.replace(tablePattern(tables), (t) => rename(t));
}

/**
 * The table-name override of the write path: `spec` writing to its shadow table, its link
 * statements pointed at the shadows of every table of `tables` (the tables rebuilt together),
 * so a child links to the parent row of the same rebuild. Nothing else changes: the upsert, the
 * COPY path, the version guard and the seen stamp are the live projector's, by the same code.
 */
export function shadowSpec(spec: TableSpec, tables: readonly string[]): TableSpec {
  return {
    ...spec,
    table: shadowName(spec.table),
    links: spec.links.map((sql) => renameTables(sql, tables, shadowName)),
  };
}
