import type { RecordObserved, RecordOrigin } from '@tributary/contracts';

export interface CustomerObservation {
  observedAt: string;
  sourceUpdatedAt: string;
  syncId: string | null;
  /** Default 'poll'. */
  origin?: RecordOrigin;
}

/**
 * A RepCard customer's RecordObserved as the entity-topic tests write it: its eventId numbered `n`
 * (the offset it is to be projected at), no webhook delivery.
 */
export function customerObserved(
  n: number,
  id: number,
  payload: Record<string, unknown>,
  o: CustomerObservation,
): RecordObserved {
  return {
    type: 'RecordObserved',
    version: 2,
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    source: 'repcard',
    entity: 'customers',
    id: String(id),
    payload,
    observedAt: o.observedAt,
    sourceUpdatedAt: o.sourceUpdatedAt,
    syncId: o.syncId,
    origin: o.origin ?? 'poll',
    deliveryId: null,
  };
}
