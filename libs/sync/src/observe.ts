import { randomUUID } from 'node:crypto';
import {
  recordId,
  recordUpdatedAt,
  type Entity,
  type RecordObserved,
  type Source,
} from '@tributary/contracts';

/**
 * The raw change event for one record as received; a record without a usable id still travels
 * (the projector dead-letters it) under a `malformed:` id made from the run and its position.
 */
export function observe(
  source: Source,
  entity: Entity,
  record: unknown,
  observedAt: string,
  syncId: string | null,
  position: string,
): { value: RecordObserved; malformedId: boolean } {
  let id: string;
  let malformedId = false;
  try {
    id = recordId(source, entity, record);
  } catch {
    id = `malformed:${syncId ?? 'webhook'}:${position}`;
    malformedId = true;
  }
  let sourceUpdatedAt: string | null = null;
  try {
    sourceUpdatedAt = normaliseIso(recordUpdatedAt(source, entity, record));
  } catch {
    sourceUpdatedAt = null;
  }
  return {
    value: {
      type: 'RecordObserved',
      version: 2,
      eventId: randomUUID(),
      source,
      entity,
      id,
      payload: record ?? null,
      observedAt,
      sourceUpdatedAt,
      syncId,
      origin: 'poll',
      deliveryId: null,
    },
    malformedId,
  };
}

function normaliseIso(value: string | null): string | null {
  if (!value) return null;
  const d = new Date(value.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
