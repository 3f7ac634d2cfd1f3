import type { RepcardEntity as ContractEntity } from '@tributary/contracts';

/** The seven RepCard entities the simulator serves, in sync (dependency) order; names as in the contracts. */
export const ENTITIES = [
  'users',
  'offices',
  'customers',
  'appointments',
  'status_logs',
  'customer_attachments',
  'appointment_attachments',
] as const;

export type RepcardEntity = (typeof ENTITIES)[number];

/** Compile-time guard: the simulator's entity names are exactly the contracts' names. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const ENTITY_NAMES_MATCH_CONTRACTS: Same<RepcardEntity, ContractEntity> = true;
export type EntityCounts = Record<RepcardEntity, number>;

/** A record as served on the wire (a plain JSON object). */
export type RepcardRecord = Record<string, unknown>;

/** Entities that carry (visible or hidden) createdAt/updatedAt and are therefore date-filterable. */
export const TIMED_ENTITIES = [
  'customers',
  'appointments',
  'status_logs',
  'customer_attachments',
  'appointment_attachments',
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
  status_logs: 5,
  customer_attachments: 6,
  appointment_attachments: 7,
};

/** Share of `size` per entity when only a total is given; appointment attachments take the rest. */
export const ENTITY_SHARE: Record<Exclude<RepcardEntity, 'appointment_attachments'>, number> = {
  users: 0.01,
  offices: 0.001,
  customers: 0.35,
  appointments: 0.25,
  status_logs: 0.25,
  customer_attachments: 0.08,
};

/** Which entity each entity's records point at (the parent must exist when the child does). */
export const PARENT: Partial<Record<RepcardEntity, RepcardEntity>> = {
  users: 'offices',
  customers: 'users',
  appointments: 'customers',
  status_logs: 'customers',
  customer_attachments: 'customers',
  appointment_attachments: 'appointments',
};
