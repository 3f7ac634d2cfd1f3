import type { Row } from './repcard-rows';
import type { Json } from './values';

/**
 * How one entity's records become rows of one read-model table. Pure data plus a pure mapper; the
 * SQL that applies it lives in data-access/upsert.ts.
 */
export interface TableSpec {
  table: string;
  /** The source id column (unique): the conflict target. */
  key: string;
  /** Postgres type of the key, for array parameters (`bigint` or `text`). */
  keyType: 'bigint' | 'text';
  map(record: Json): Row;
  /** Columns that fall back to the first observation time when the source sends nothing. */
  firstSeenColumns?: readonly string[];
  /**
   * Statements that (re)link rows after an upsert; each takes `$1` = array of the source ids just
   * written (of this table), and is idempotent.
   */
  links: readonly string[];
}

/** The columns a mapper produces, in a stable order (first row decides). */
export function columnsOf(rows: readonly Row[]): string[] {
  const first = rows[0];
  return first ? Object.keys(first) : [];
}
