/** The seven RepCard entities the simulator serves, in sync (dependency) order. */
export const ENTITIES = [
  'users',
  'offices',
  'customers',
  'appointments',
  'statusLogs',
  'customerAttachments',
  'appointmentAttachments',
] as const;

export type RepcardEntity = (typeof ENTITIES)[number];
export type EntityCounts = Record<RepcardEntity, number>;

/** A record as served on the wire (a plain JSON object). */
export type RepcardRecord = Record<string, unknown>;

/** Entities that carry (visible or hidden) createdAt/updatedAt and are therefore date-filterable. */
export const TIMED_ENTITIES = [
  'customers',
  'appointments',
  'statusLogs',
  'customerAttachments',
  'appointmentAttachments',
] as const satisfies readonly RepcardEntity[];
export type TimedEntity = (typeof TIMED_ENTITIES)[number];

export function isTimed(entity: RepcardEntity): entity is TimedEntity {
  return (TIMED_ENTITIES as readonly RepcardEntity[]).includes(entity);
}

/** A small stable number per entity, mixed into every hash so entities never share random streams. */
export const ENTITY_CODE: Record<RepcardEntity, number> = {
  users: 1,
  offices: 2,
  customers: 3,
  appointments: 4,
  statusLogs: 5,
  customerAttachments: 6,
  appointmentAttachments: 7,
};

/** Share of `size` per entity when only a total is given; appointment attachments take the rest. */
export const ENTITY_SHARE: Record<Exclude<RepcardEntity, 'appointmentAttachments'>, number> = {
  users: 0.01,
  offices: 0.001,
  customers: 0.35,
  appointments: 0.25,
  statusLogs: 0.25,
  customerAttachments: 0.08,
};

/** Which entity each entity's records point at (the parent must exist when the child does). */
export const PARENT: Partial<Record<RepcardEntity, RepcardEntity>> = {
  users: 'offices',
  customers: 'users',
  appointments: 'customers',
  statusLogs: 'customers',
  customerAttachments: 'customers',
  appointmentAttachments: 'appointments',
};
