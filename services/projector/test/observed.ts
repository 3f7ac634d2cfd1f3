import type { Entity, RecordObserved, Source } from '@tributary/contracts';
import type { ProjectedRecord } from '../src/projections';

let offset = 0;

export interface Observation {
  observedAt: string;
  sourceUpdatedAt?: string | null;
  /** Default 's1'; a webhook observation has none. */
  syncId?: string;
  /** A webhook observation's delivery. */
  deliveryId?: string | null;
}

/** A decoded RecordObserved at the next offset (fixtures of the plan tests). */
export function observed(
  source: Source,
  entity: Entity,
  id: string,
  payload: Record<string, unknown>,
  o: Observation,
): ProjectedRecord<RecordObserved> {
  const webhook = o.deliveryId !== undefined && o.deliveryId !== null;
  const value: RecordObserved = {
    type: 'RecordObserved',
    version: 2,
    eventId: `00000000-0000-4000-8000-${String(++offset).padStart(12, '0')}`,
    source,
    entity,
    id,
    payload,
    observedAt: o.observedAt,
    sourceUpdatedAt: o.sourceUpdatedAt ?? null,
    syncId: webhook ? null : (o.syncId ?? 's1'),
    origin: webhook ? 'webhook' : 'poll',
    deliveryId: webhook ? o.deliveryId! : null,
  };
  return { offset: String(offset), value };
}
