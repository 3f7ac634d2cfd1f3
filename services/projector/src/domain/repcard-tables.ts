import type { RepcardEntity } from '@tributary/contracts';
import {
  appointmentAttachmentRow,
  appointmentRow,
  customerAttachmentRow,
  customerRow,
  officeRow,
  statusLogRow,
  userRow,
} from './repcard-rows';
import type { TableSpec } from './table-spec';

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

export const REPCARD_TABLES: Record<RepcardEntity, TableSpec> = {
  users: { table: 'repcard_users', key: 'repcard_user_id', keyType: 'bigint', map: userRow, links: [] },
  offices: { table: 'repcard_offices', key: 'repcard_office_id', keyType: 'bigint', map: officeRow, links: [] },
  customers: {
    table: 'repcard_customers',
    key: 'repcard_customer_id',
    keyType: 'bigint',
    map: customerRow,
    links: [
      linkChildrenOfCustomers('repcard_appointments'),
      linkChildrenOfCustomers('repcard_status_logs'),
      linkChildrenOfCustomers('repcard_customer_attachments'),
      linkAttachmentsOfAppointments('a.repcard_customer_id = ANY($1)'),
    ],
  },
  appointments: {
    table: 'repcard_appointments',
    key: 'repcard_appointment_id',
    keyType: 'bigint',
    map: appointmentRow,
    links: [
      `UPDATE repcard_appointments t
       SET customer_id = (SELECT c.id FROM repcard_customers c WHERE c.repcard_customer_id = t.repcard_customer_id)
       WHERE t.repcard_appointment_id = ANY($1)`,
      linkAttachmentsOfAppointments('a.repcard_appointment_id = ANY($1)'),
    ],
  },
  status_logs: {
    table: 'repcard_status_logs',
    key: 'repcard_log_id',
    keyType: 'text',
    map: statusLogRow,
    links: [linkOwnCustomer('repcard_status_logs', 'repcard_log_id')],
  },
  customer_attachments: {
    table: 'repcard_customer_attachments',
    key: 'repcard_attachment_id',
    keyType: 'bigint',
    map: customerAttachmentRow,
    firstSeenColumns: ['created_at'],
    links: [linkOwnCustomer('repcard_customer_attachments', 'repcard_attachment_id')],
  },
  appointment_attachments: {
    table: 'repcard_appointment_attachments',
    key: 'repcard_attachment_id',
    keyType: 'bigint',
    map: appointmentAttachmentRow,
    firstSeenColumns: ['created_at'],
    links: [
      `UPDATE repcard_appointment_attachments aa
       SET appointment_id = a.id, customer_id = a.customer_id, repcard_customer_id = a.repcard_customer_id
       FROM repcard_appointments a
       WHERE aa.repcard_attachment_id = ANY($1) AND aa.repcard_appointment_id = a.repcard_appointment_id
         AND (aa.appointment_id IS DISTINCT FROM a.id OR aa.customer_id IS DISTINCT FROM a.customer_id
              OR aa.repcard_customer_id IS DISTINCT FROM a.repcard_customer_id)`,
    ],
  },
};
