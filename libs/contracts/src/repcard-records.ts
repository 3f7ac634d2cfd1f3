import { z } from 'zod';
import { isoDateTime, nonEmpty, optionalNumeric, optionalRef, optionalText } from './primitives';
import type { RepcardEntity } from './topics';
import { parseOrThrow } from './validation';

/**
 * Lenient schemas of RepCard API records (fields from API-NOTES.md). Objects are loose: unknown
 * fields pass through untouched. Only the source id is required, with its exact type; the other
 * fields the read model uses are type-checked when present. A record failing its schema is
 * "malformed": the projector sends it to the DLQ.
 */
const text = optionalText;
const ref = optionalRef;
const numeric = optionalNumeric;
const timestamp = z.string().nullish();
const repcardId = z.number().int();

export const RepcardUserSchema = z.looseObject({
  id: repcardId,
  firstName: text,
  lastName: text,
  email: text,
  username: text,
  phoneNumber: text,
  officeId: ref,
  officeTeamId: ref,
  jobTitle: text,
  externalId: ref,
  status: z.union([z.number(), z.string(), z.boolean()]).nullish(),
});

export const RepcardOfficeSchema = z.looseObject({
  id: repcardId,
  officeName: text,
  officeEmail: text,
  officeAddress: text,
  officeCity: text,
  officeState: text,
  officeZip: text,
});

export const RepcardCustomerSchema = z.looseObject({
  id: repcardId,
  firstName: text,
  lastName: text,
  fullName: text,
  email: text,
  phoneNumber: text,
  statusId: ref,
  statusTitle: text,
  address: text,
  address2: text,
  city: text,
  state: text,
  zip: text,
  latitude: numeric,
  longitude: numeric,
  userId: ref,
  ownerId: ref,
  companyId: ref,
  createdAt: timestamp,
  updatedAt: timestamp,
});

const person = z.looseObject({ id: ref }).nullish();

export const RepcardAppointmentSchema = z.looseObject({
  id: repcardId,
  title: text,
  notes: text,
  userId: ref,
  setter: person,
  closerId: ref,
  closer: person,
  calendarId: ref,
  /** The customer. */
  contact: person,
  /** Local wall-clock time without offset (`2024-05-17 20:45:00`), see startAtTimezone. */
  startAt: text,
  endAt: text,
  startAtTimezone: text,
  endAtTimezone: text,
  /** Its title is the disposition. */
  status: z.looseObject({ id: ref, title: text }).nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const statusRef = z.looseObject({ id: ref, statusName: text }).nullish();

export const RepcardStatusLogSchema = z.looseObject({
  /** A Mongo ObjectId string. */
  _id: nonEmpty,
  customerId: ref,
  statusFrom: statusRef,
  statusTo: statusRef,
  userId: ref,
  companyId: ref,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const RepcardCustomerAttachmentSchema = z.looseObject({
  id: repcardId,
  attachmentUrl: text,
  userId: ref,
  customerId: ref,
  title: text,
  attachmentInfo: z.looseObject({ fileName: text }).nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const RepcardAppointmentAttachmentSchema = z.looseObject({
  id: repcardId,
  attachmentUrl: text,
  type: text,
  userId: ref,
  appointmentId: ref,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export type RepcardUser = z.infer<typeof RepcardUserSchema>;
export type RepcardOffice = z.infer<typeof RepcardOfficeSchema>;
export type RepcardCustomer = z.infer<typeof RepcardCustomerSchema>;
export type RepcardAppointment = z.infer<typeof RepcardAppointmentSchema>;
export type RepcardStatusLog = z.infer<typeof RepcardStatusLogSchema>;
export type RepcardCustomerAttachment = z.infer<typeof RepcardCustomerAttachmentSchema>;
export type RepcardAppointmentAttachment = z.infer<typeof RepcardAppointmentAttachmentSchema>;

export const REPCARD_RECORD_SCHEMAS = {
  users: RepcardUserSchema,
  offices: RepcardOfficeSchema,
  customers: RepcardCustomerSchema,
  appointments: RepcardAppointmentSchema,
  status_logs: RepcardStatusLogSchema,
  customer_attachments: RepcardCustomerAttachmentSchema,
  appointment_attachments: RepcardAppointmentAttachmentSchema,
} as const satisfies Record<RepcardEntity, z.ZodType>;

export type RepcardRecord<E extends RepcardEntity> = z.infer<(typeof REPCARD_RECORD_SCHEMAS)[E]>;

/** The field holding each entity's source id. */
export const REPCARD_ID_FIELDS = {
  users: 'id',
  offices: 'id',
  customers: 'id',
  appointments: 'id',
  status_logs: '_id',
  customer_attachments: 'id',
  appointment_attachments: 'id',
} as const satisfies Record<RepcardEntity, string>;

const ENTITIES_WITH_UPDATED_AT: readonly RepcardEntity[] = [
  'customers',
  'appointments',
  'status_logs',
  'customer_attachments',
  'appointment_attachments',
];

/** Built once per entity: a zod schema costs far more to build (and compile) than to run. */
const idSchema = (field: string): z.ZodType<Record<string, string | number>> =>
  z.object({ [field]: field === '_id' ? nonEmpty : repcardId });
const REPCARD_ID_SCHEMAS: Record<RepcardEntity, z.ZodType<Record<string, string | number>>> = {
  users: idSchema(REPCARD_ID_FIELDS.users),
  offices: idSchema(REPCARD_ID_FIELDS.offices),
  customers: idSchema(REPCARD_ID_FIELDS.customers),
  appointments: idSchema(REPCARD_ID_FIELDS.appointments),
  status_logs: idSchema(REPCARD_ID_FIELDS.status_logs),
  customer_attachments: idSchema(REPCARD_ID_FIELDS.customer_attachments),
  appointment_attachments: idSchema(REPCARD_ID_FIELDS.appointment_attachments),
};

/** The record's source id as a string; throws ValidationError naming the field when absent or mistyped. */
export function repcardRecordId(entity: RepcardEntity, record: unknown): string {
  const field = REPCARD_ID_FIELDS[entity];
  const parsed = parseOrThrow(REPCARD_ID_SCHEMAS[entity], record, `repcard ${entity} record id`, { entity });
  return String(parsed[field]);
}

/** The record's `updatedAt` when it is an ISO timestamp; null for users and offices (they have none). */
export function repcardUpdatedAt(entity: RepcardEntity, record: unknown): string | null {
  if (!ENTITIES_WITH_UPDATED_AT.includes(entity)) return null;
  if (typeof record !== 'object' || record === null) return null;
  const parsed = isoDateTime.safeParse((record as Record<string, unknown>).updatedAt);
  return parsed.success ? parsed.data : null;
}
