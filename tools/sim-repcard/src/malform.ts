import type { RepcardEntity, RepcardRecord } from './entities';

/** The ways a record can be served broken. */
export type MalformKind = 'missing-id' | 'id-as-string' | 'fk-as-string' | 'bad-timestamp';

/** Kinds that make sense per entity, and the foreign key that `fk-as-string` turns into a string. */
const KINDS: Record<RepcardEntity, { kinds: readonly MalformKind[]; idField: string; fk?: string }> = {
  users: { kinds: ['missing-id', 'id-as-string', 'fk-as-string'], idField: 'id', fk: 'officeId' },
  offices: { kinds: ['missing-id', 'id-as-string'], idField: 'id' },
  customers: { kinds: ['missing-id', 'id-as-string', 'fk-as-string', 'bad-timestamp'], idField: 'id', fk: 'userId' },
  appointments: { kinds: ['missing-id', 'id-as-string', 'fk-as-string', 'bad-timestamp'], idField: 'id', fk: 'userId' },
  statusLogs: { kinds: ['missing-id', 'fk-as-string', 'bad-timestamp'], idField: '_id', fk: 'customerId' },
  customerAttachments: { kinds: ['missing-id', 'id-as-string', 'fk-as-string'], idField: 'id', fk: 'customerId' },
  appointmentAttachments: {
    kinds: ['missing-id', 'id-as-string', 'fk-as-string'],
    idField: 'id',
    fk: 'appointmentId',
  },
};

export function malformKindFor(entity: RepcardEntity, hash: number): MalformKind {
  const { kinds } = KINDS[entity];
  return kinds[hash % kinds.length] as MalformKind;
}

/** A broken copy of `record`: the id missing, a number as a string, or an unparseable timestamp. */
export function malform(entity: RepcardEntity, record: RepcardRecord, kind: MalformKind): RepcardRecord {
  const { idField, fk } = KINDS[entity];
  const copy: RepcardRecord = { ...record };
  switch (kind) {
    case 'missing-id':
      delete copy[idField];
      return copy;
    case 'id-as-string':
      copy[idField] = String(copy[idField]);
      return copy;
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
