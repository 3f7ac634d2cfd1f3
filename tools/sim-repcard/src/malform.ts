import type { RepcardEntity, RepcardRecord } from './entities';

/**
 * The ways a record can be served broken. `missing-id` and `id-wrong-type` (a numeric id as a
 * string, or a status log's `_id` as a number) break the record's identity, which any consumer
 * must reject; they are the default. `fk-as-string` and `bad-timestamp` are "soft" breakage a
 * lenient consumer may accept; enable them with the `malformedKinds` fault.
 */
export const MALFORM_KINDS = ['missing-id', 'id-wrong-type', 'fk-as-string', 'bad-timestamp'] as const;
export type MalformKind = (typeof MALFORM_KINDS)[number];
export const DEFAULT_MALFORM_KINDS: readonly MalformKind[] = ['missing-id', 'id-wrong-type'];

const SHAPE: Record<RepcardEntity, { idField: string; fk?: string; timestamps: boolean }> = {
  users: { idField: 'id', fk: 'officeId', timestamps: false },
  offices: { idField: 'id', timestamps: false },
  customers: { idField: 'id', fk: 'userId', timestamps: true },
  appointments: { idField: 'id', fk: 'userId', timestamps: true },
  status_logs: { idField: '_id', fk: 'customerId', timestamps: true },
  customer_attachments: { idField: 'id', fk: 'customerId', timestamps: false },
  appointment_attachments: { idField: 'id', fk: 'appointmentId', timestamps: false },
};

/** The kind for a record: picked by hash among the enabled kinds that apply to the entity. */
export function malformKindFor(
  entity: RepcardEntity,
  hash: number,
  enabled: readonly MalformKind[],
): MalformKind {
  const shape = SHAPE[entity];
  const usable = enabled.filter(
    (k) => (k !== 'fk-as-string' || shape.fk !== undefined) && (k !== 'bad-timestamp' || shape.timestamps),
  );
  const kinds = usable.length > 0 ? usable : DEFAULT_MALFORM_KINDS;
  return kinds[hash % kinds.length] as MalformKind;
}

/** A broken copy of `record`. */
export function malform(entity: RepcardEntity, record: RepcardRecord, kind: MalformKind): RepcardRecord {
  const { idField, fk } = SHAPE[entity];
  const copy: RepcardRecord = { ...record };
  switch (kind) {
    case 'missing-id':
      delete copy[idField];
      return copy;
    case 'id-wrong-type': {
      const id = copy[idField];
      copy[idField] = typeof id === 'string' ? parseInt(id.slice(-6), 16) : String(id);
      return copy;
    }
    case 'fk-as-string':
      if (fk) copy[fk] = String(copy[fk]);
      return copy;
    case 'bad-timestamp':
      copy.createdAt = '0000-00-00 00:00:00';
      return copy;
    default: {
      const never: never = kind;
      return never;
    }
  }
}
