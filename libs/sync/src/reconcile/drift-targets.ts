import type { Source } from '@tributary/contracts';
import { PRACTICES_PATH } from './source-counts';

/** CuraGenesis's orders of one practice (the ingest's FINANCIALS_PATH, ingest-curagenesis requests.ts). */
export const FINANCIALS_PATH = '/api/partner/v1/financials';

/**
 * How a drift sample of one entity is read and where its rows are. `pages`: a RepCard list,
 * page-numbered (`dates`: the list needs `from_date`/`to_date`, asked over the range a full sync
 * reads); `cursor`: CuraGenesis practices; `per-practice`: CuraGenesis orders, read from the
 * financials of the practices sampled first.
 */
export interface DriftTarget {
  entity: string;
  table: string;
  /** The source id column and its type. */
  key: string;
  keyType: 'bigint' | 'text';
  read:
    | { kind: 'pages'; path: string; dates: boolean }
    | { kind: 'cursor'; path: string }
    | { kind: 'per-practice'; path: string };
}

const pages = (path: string, dates = false) => ({ kind: 'pages' as const, path, dates });

/** Every entity a drift sample covers, in sync order (paths: the ingests' own, API-NOTES.md). */
export const DRIFT_TARGETS: Readonly<Record<Source, readonly DriftTarget[]>> = {
  repcard: [
    {
      entity: 'users',
      table: 'repcard_users',
      key: 'repcard_user_id',
      keyType: 'bigint',
      read: pages('/users/minimal'),
    },
    {
      entity: 'offices',
      table: 'repcard_offices',
      key: 'repcard_office_id',
      keyType: 'bigint',
      read: pages('/offices'),
    },
    {
      entity: 'customers',
      table: 'repcard_customers',
      key: 'repcard_customer_id',
      keyType: 'bigint',
      read: pages('/customers'),
    },
    {
      entity: 'appointments',
      table: 'repcard_appointments',
      key: 'repcard_appointment_id',
      keyType: 'bigint',
      read: pages('/appointments', true),
    },
    {
      entity: 'status_logs',
      table: 'repcard_status_logs',
      key: 'repcard_log_id',
      keyType: 'text',
      read: pages('/customers/status-logs', true),
    },
    {
      entity: 'customer_attachments',
      table: 'repcard_customer_attachments',
      key: 'repcard_attachment_id',
      keyType: 'bigint',
      read: pages('/customers/attachments', true),
    },
    {
      entity: 'appointment_attachments',
      table: 'repcard_appointment_attachments',
      key: 'repcard_attachment_id',
      keyType: 'bigint',
      read: pages('/appointments/attachments', true),
    },
  ],
  curagenesis: [
    {
      entity: 'practices',
      table: 'curagenesis_practices',
      key: 'practice_id',
      keyType: 'text',
      read: { kind: 'cursor', path: PRACTICES_PATH },
    },
    {
      entity: 'orders',
      table: 'curagenesis_orders',
      key: 'order_id',
      keyType: 'text',
      read: { kind: 'per-practice', path: FINANCIALS_PATH },
    },
  ],
};

/** The targets of `source`, only `entities` when given (unknown names are refused by the caller). */
export function driftTargets(source: Source, entities?: readonly string[]): DriftTarget[] {
  const all = DRIFT_TARGETS[source];
  return entities && entities.length > 0 ? all.filter((t) => entities.includes(t.entity)) : [...all];
}
