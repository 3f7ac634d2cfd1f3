import type { RepcardEntity } from '@tributary/contracts';
import type { FieldSpec } from '../../core/field-table';
import type { TableSpec } from '../../core/table-spec';
import {
  APPOINTMENT_ATTACHMENT_FIELDS,
  APPOINTMENT_FIELDS,
  CUSTOMER_ATTACHMENT_FIELDS,
  CUSTOMER_FIELDS,
  OFFICE_FIELDS,
  STATUS_LOG_FIELDS,
  USER_FIELDS,
} from './fields';

/** Re-points the customer link of `table`'s rows whose source ids are in $1. */
const linkOwnCustomer = (table: string, key: string): string =>
  `UPDATE ${table} t SET customer_id = c.id FROM repcard_customers c
   WHERE t.${key} = ANY($1) AND c.repcard_customer_id = t.repcard_customer_id AND t.customer_id IS DISTINCT FROM c.id`;

/** Links children waiting for the customers whose source ids are in $1 (child before parent). */
const linkChildrenOfCustomers = (table: string): string =>
  `UPDATE ${table} t SET customer_id = c.id FROM repcard_customers c
   WHERE c.repcard_customer_id = ANY($1) AND t.repcard_customer_id = c.repcard_customer_id AND t.customer_id IS DISTINCT FROM c.id`;

/** An appointment attachment's customer is its appointment's customer (the API does not send it). */
const linkAttachmentsOfAppointments = (where: string): string =>
  `UPDATE repcard_appointment_attachments aa
   SET appointment_id = a.id, customer_id = a.customer_id, repcard_customer_id = a.repcard_customer_id
   FROM repcard_appointments a
   WHERE ${where} AND aa.repcard_appointment_id = a.repcard_appointment_id
     AND (aa.appointment_id IS DISTINCT FROM a.id OR aa.customer_id IS DISTINCT FROM a.customer_id
          OR aa.repcard_customer_id IS DISTINCT FROM a.repcard_customer_id)`;

/**
 * RepCard records are full (a polled record names every field) and checked by their contract (the
 * zod schema): a value a column cannot hold is stored null, `raw_data` keeps it.
 */
const table = (
  name: string,
  key: string,
  keyType: TableSpec['keyType'],
  fields: readonly FieldSpec[],
  links: readonly string[],
  firstSeenColumns?: readonly string[],
): TableSpec => ({
  table: name,
  key,
  keyType,
  fields,
  columns: 'full',
  onInvalid: 'null',
  links,
  firstSeenColumns,
});

export const REPCARD_TABLES: Record<RepcardEntity, TableSpec> = {
  users: table('repcard_users', 'repcard_user_id', 'bigint', USER_FIELDS, []),
  offices: table('repcard_offices', 'repcard_office_id', 'bigint', OFFICE_FIELDS, []),
  customers: table('repcard_customers', 'repcard_customer_id', 'bigint', CUSTOMER_FIELDS, [
    linkChildrenOfCustomers('repcard_appointments'),
    linkChildrenOfCustomers('repcard_status_logs'),
    linkChildrenOfCustomers('repcard_customer_attachments'),
    linkAttachmentsOfAppointments('a.repcard_customer_id = ANY($1)'),
  ]),
  appointments: table('repcard_appointments', 'repcard_appointment_id', 'bigint', APPOINTMENT_FIELDS, [
    `UPDATE repcard_appointments t
     SET customer_id = (SELECT c.id FROM repcard_customers c WHERE c.repcard_customer_id = t.repcard_customer_id)
     WHERE t.repcard_appointment_id = ANY($1)`,
    linkAttachmentsOfAppointments('a.repcard_appointment_id = ANY($1)'),
  ]),
  status_logs: table('repcard_status_logs', 'repcard_log_id', 'text', STATUS_LOG_FIELDS, [
    linkOwnCustomer('repcard_status_logs', 'repcard_log_id'),
  ]),
  customer_attachments: table(
    'repcard_customer_attachments',
    'repcard_attachment_id',
    'bigint',
    CUSTOMER_ATTACHMENT_FIELDS,
    [linkOwnCustomer('repcard_customer_attachments', 'repcard_attachment_id')],
    ['created_at'],
  ),
  appointment_attachments: table(
    'repcard_appointment_attachments',
    'repcard_attachment_id',
    'bigint',
    APPOINTMENT_ATTACHMENT_FIELDS,
    [linkAttachmentsOfAppointments('aa.repcard_attachment_id = ANY($1)')],
    ['created_at'],
  ),
};
