import type { FieldSpec } from './field-table';

/**
 * How one entity's records become rows of one read-model table: pure data (a field table and the
 * link statements). The SQL that applies it is in upsert.ts.
 */
export interface TableSpec {
  table: string;
  /** The source id column (unique): the conflict target. */
  key: string;
  /** Postgres type of the key, for array parameters (`bigint` or `text`). */
  keyType: 'bigint' | 'text';
  fields: readonly FieldSpec[];
  /** `full`: a record carries every column (absent = null); `partial`: only those it names are written. */
  columns: 'full' | 'partial';
  /**
   * A present value its column cannot hold: `reject` = the record is malformed (DLQ); `null` = the
   * column is stored null (the record's contract is the check, `raw_data` keeps the value).
   */
  onInvalid: 'reject' | 'null';
  /** Columns that fall back to the first observation time when the source sends nothing. */
  firstSeenColumns?: readonly string[];
  /**
   * A newer version with the same content still moves `version_at` on, but counts as `unchanged`
   * (sources whose versions are mostly observation times).
   */
  sameContentIsUnchanged?: boolean;
  /**
   * Statements that (re)link rows after an upsert; each takes `$1` = array of the source ids just
   * written (of this table), and is idempotent.
   */
  links: readonly string[];
}
