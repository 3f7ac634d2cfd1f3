import type { PoolClient } from 'pg';
import type { Metrics } from '@tributary/observability';
import type { Notice } from '../core/notices';
import type { RecordFailure, RecordIdentity, RecordPosition } from '../core/record-failure';

/** One decoded record of a topic, at its offset (in the batch it came in). */
export interface ProjectedRecord<V = unknown> {
  offset: string;
  value: V;
  /** Where it was read in Kafka (its lineage, ADR 0018), when known. */
  at?: RecordPosition;
  /** Its bytes held no `\u` (DecodedMessage.noUnicodeEscapes): nothing to make storable in it. */
  noUnicodeEscapes?: boolean;
}

/** Every plan names the records it could not plan; they go to the DLQ. */
export interface Planned {
  failures: RecordFailure[];
}

/**
 * A projection: the topics it handles, a pure `plan` from one batch of one of them to the changes
 * it makes (no database), and an `apply` that writes those changes inside the transaction it is
 * given and returns the NOTIFYs to send on commit. `lookup` reads what `plan` needs to know of the
 * read models (the decider's lookups, passed in as an argument). `identify` names a record (and its
 * sync run) for a failure PostgreSQL causes or a note of a value made storable (ADR 0010).
 *
 * `plan` of no records, its `failures` filled in, must be a plan whose `apply` only counts those
 * failures (for their sync runs): that is how a record PostgreSQL refused is counted.
 *
 * `chunkKey` (projections without `lookup`) lets a large batch be applied in chunks (ADR 0023):
 * the records of one key stay together and in order, so each chunk plans exactly what the whole
 * batch would for its keys, and the next chunk is planned while PostgreSQL runs this one's upsert:
 * `apply` calls `whilePostgresWorks` (at most once) right after it sent its longest statement.
 */
export interface Projection<V, P extends Planned, L = undefined> {
  readonly name: string;
  readonly topics: readonly string[];
  lookup?(db: PoolClient, topic: string, records: readonly ProjectedRecord<V>[]): Promise<L>;
  plan(topic: string, records: readonly ProjectedRecord<V>[], lookups: L): P;
  identify(value: V): RecordIdentity;
  chunkKey?(value: V): string;
  /** CPU work of `apply` that can be done ahead of it, on a chunk planned while the previous one is written. */
  prepare?(plan: P): void;
  apply(db: PoolClient, plan: P, metrics?: Metrics, whilePostgresWorks?: () => void): Promise<Notice[]>;
}

/** A projection whatever its record, plan and lookup types (the registry's element). */
export type AnyProjection = Projection<unknown, Planned, unknown>;
