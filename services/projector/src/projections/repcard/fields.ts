import {
  boolean,
  INVALID,
  integer,
  numeric,
  orNull,
  scalarText,
  timestamp,
  wallClockIn,
  type Converter,
} from '../../core/converters';
import type { FieldSpec } from '../../core/field-table';
import { at, type Json } from '../../core/json';
import { fileNameFromUrl, typeFromFileName } from './files';

/**
 * Field tables of the seven RepCard entities: record fields (API-NOTES.md, dotted paths into nested
 * objects) → read-model columns (migrations/002_repcard_read_models.sql). Parent links
 * (`customer_id`, `appointment_id`) are not set here: the projector resolves them from the parent's
 * source id, now or when the parent arrives.
 */

const txt = (column: string, ...keys: string[]): FieldSpec => ({ column, keys, convert: scalarText });
const int = (column: string, ...keys: string[]): FieldSpec => ({ column, keys, convert: integer });
const num = (column: string, ...keys: string[]): FieldSpec => ({ column, keys, convert: numeric });
const ts = (column: string, ...keys: string[]): FieldSpec => ({ column, keys, convert: timestamp });
const text = (r: Json, path: string): string | null => orNull(scalarText, at(r, path).value) as string | null;

/** A user's status: a number, or a flag sent as a boolean (1 / 0). */
const statusCode: Converter = (v, record) => {
  const n = integer(v, record);
  if (n !== INVALID) return n;
  const b = boolean(v, record);
  return b === INVALID || b === null ? b : b ? 1 : 0;
};

export const USER_FIELDS: readonly FieldSpec[] = [
  int('repcard_user_id', 'id'),
  txt('first_name', 'firstName'),
  txt('last_name', 'lastName'),
  txt('email', 'email'),
  txt('username', 'username'),
  txt('phone_number', 'phoneNumber'),
  int('office_id', 'officeId', 'office.id'),
  txt('office_name', 'office.name', 'office.officeName', 'office'),
  int('team_id', 'officeTeamId', 'team.id'),
  txt('team_name', 'team.name', 'team.teamName', 'team'),
  txt('job_title', 'jobTitle'),
  txt('image_url', 'image'),
  num('rating', 'rating'),
  txt('bio', 'bio'),
  txt('company_name', 'companyName'),
  txt('badge_id', 'badgeId'),
  txt('qr_code', 'qrCode'),
  txt('external_id', 'externalId'),
  { column: 'status', keys: ['status'], convert: statusCode },
  txt('role', 'role'),
  ts('first_verified_door_knock_at', 'firstVerifiedDoorKnock', 'firstVerifiedDoorKnockAt'),
  ts('first_appointment_at', 'firstAppointment', 'firstAppointmentAt'),
];

export const OFFICE_FIELDS: readonly FieldSpec[] = [
  int('repcard_office_id', 'id'),
  txt('name', 'officeName', 'name'),
  txt('email', 'officeEmail'),
  txt('address', 'officeAddress'),
  txt('city', 'officeCity'),
  txt('state', 'officeState'),
  txt('zip', 'officeZip'),
  txt('phone', 'officeMobile'),
  txt('logo_url', 'fullPathOfficeLogo'),
];

/** `fullName`, else first and last name joined. */
const fullName = (r: Json): string | null =>
  [text(r, 'firstName'), text(r, 'lastName')].filter(Boolean).join(' ') || null;

export const CUSTOMER_FIELDS: readonly FieldSpec[] = [
  int('repcard_customer_id', 'id'),
  { column: 'name', keys: ['fullName'], convert: scalarText, otherwise: fullName },
  txt('first_name', 'firstName'),
  txt('last_name', 'lastName'),
  txt('email', 'email'),
  txt('country_code', 'countryCode'),
  txt('phone', 'phoneNumber'),
  int('status_id', 'statusId'),
  txt('status_title', 'statusTitle'),
  txt('address', 'address'),
  txt('address2', 'address2'),
  txt('city', 'city'),
  txt('state', 'state'),
  txt('zip', 'zip'),
  num('latitude', 'latitude'),
  num('longitude', 'longitude'),
  txt('external_id', 'externalId'),
  txt('customer_type', 'type'),
  int('setter_user_id', 'userId'),
  int('owner_user_id', 'ownerId'),
  int('company_id', 'companyId'),
  txt('contact_source', 'contactSource'),
  ts('created_at', 'createdAt'),
  ts('updated_at', 'updatedAt'),
];

export const APPOINTMENT_FIELDS: readonly FieldSpec[] = [
  int('repcard_appointment_id', 'id'),
  int('repcard_customer_id', 'contact.id', 'customerId'),
  int('setter_user_id', 'userId', 'setter.id'),
  int('closer_user_id', 'closerId', 'closer.id'),
  txt('title', 'title'),
  txt('notes', 'notes'),
  int('calendar_id', 'calendarId'),
  /** startAt / endAt are wall-clock times in their zone (startAtTimezone / endAtTimezone). */
  { column: 'scheduled_at', keys: ['startAt'], convert: wallClockIn('startAtTimezone') },
  { column: 'scheduled_end_at', keys: ['endAt'], convert: wallClockIn('endAtTimezone', 'startAtTimezone') },
  txt('start_at_local', 'startAt'),
  txt('end_at_local', 'endAt'),
  txt('timezone', 'startAtTimezone'),
  txt('location', 'appointmentLocation'),
  txt('disposition', 'status.title'),
  int('status_id', 'status.id'),
  txt('status_category', 'status.category.title'),
  txt('duration', 'durationTime'),
  ts('created_at', 'createdAt'),
  ts('updated_at', 'updatedAt'),
];

export const STATUS_LOG_FIELDS: readonly FieldSpec[] = [
  txt('repcard_log_id', '_id'),
  int('repcard_customer_id', 'customerId'),
  int('status_from_id', 'statusFrom.id'),
  txt('status_from', 'statusFrom.statusName', 'statusFrom.title'),
  int('status_to_id', 'statusTo.id'),
  txt('status_to', 'statusTo.statusName', 'statusTo.title'),
  int('changed_by_user_id', 'userId'),
  int('company_id', 'companyId'),
  ts('created_at', 'createdAt'),
  ts('updated_at', 'updatedAt'),
];

/** An attachment's file name: its info's, else the URL's last segment (else, for a customer's, its title). */
const fileName = (r: Json, orTitle: boolean): string | null =>
  text(r, 'attachmentInfo.fileName') ??
  fileNameFromUrl(text(r, 'attachmentUrl')) ??
  (orTitle ? text(r, 'title') : null);

const attachmentFile = (orTitle: boolean): FieldSpec[] => [
  { column: 'file_name', keys: [], convert: scalarText, otherwise: (r) => fileName(r, orTitle) },
  txt('file_url', 'attachmentUrl'),
  {
    column: 'attachment_type',
    keys: ['type'],
    convert: scalarText,
    otherwise: (r) => typeFromFileName(fileName(r, orTitle)),
  },
  ts('created_at', 'createdAt'),
  ts('updated_at', 'updatedAt'),
];

export const CUSTOMER_ATTACHMENT_FIELDS: readonly FieldSpec[] = [
  int('repcard_attachment_id', 'id'),
  int('repcard_customer_id', 'customerId'),
  int('uploaded_by_user_id', 'userId'),
  txt('title', 'title'),
  ...attachmentFile(true),
];

export const APPOINTMENT_ATTACHMENT_FIELDS: readonly FieldSpec[] = [
  int('repcard_attachment_id', 'id'),
  int('repcard_appointment_id', 'appointmentId'),
  int('uploaded_by_user_id', 'userId'),
  ...attachmentFile(false),
];
