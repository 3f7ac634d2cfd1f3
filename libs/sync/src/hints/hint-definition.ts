import type { Contract, EntityOf, Source } from '@tributary/contracts';
import type { JsonGetter } from '../fetchers';

/** One record a webhook names: re-fetch it (ADR 0026). */
export interface HintTarget<S extends Source = Source> {
  entity: EntityOf<S>;
  id: string;
  /** The delivery that named it (carried as the observation's `deliveryId`). */
  deliveryId: string;
  receivedAt: string;
  /** The webhook announces a removal: an answer without the record marks it deleted. */
  removal: boolean;
  /** Whatever else the source needs to find the record (RepCard appointments: the customer id). */
  context?: Record<string, string>;
}

/**
 * What the source answered for a target: the record, `absent` (the source says it is not there:
 * only believed for a removal), or `unknown` (the source cannot be asked for it alone: nothing is
 * published, the next sync converges).
 */
export type RefetchAnswer =
  { kind: 'found'; record: unknown } | { kind: 'absent' } | { kind: 'unknown'; why: string };

/** How one ingest reads its webhook topic as hints: which records a delivery names, how to re-fetch one. */
export interface HintDefinition<S extends Source, V> {
  contract: Contract<V>;
  targetsOf(value: V): HintTarget<S>[];
  refetch(client: JsonGetter, target: HintTarget<S>, signal?: AbortSignal): Promise<RefetchAnswer>;
}
