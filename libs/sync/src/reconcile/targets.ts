import type { Source } from '@tributary/contracts';

/** Which source timestamp RepCard's date filters select on (API-NOTES: not documented). */
export type DateField = 'updated' | 'created';

/**
 * How one entity is counted. `totalCount`: a list request with `per_page=1` whose envelope says how
 * many records match (RepCard); `filter` says how a window is asked for (`none`: the entity has no
 * date filter; `customers`: `last_<field>_from/to`; `dates`: `from_date/to_date`). `practices-walk`:
 * the practices pages read once, which count practices, sum their `totalOrders` and bucket
 * `activatedAt` (CuraGenesis has no totals). `windows` says whether per-window rows exist: only where
 * the source's filter and a read-model column select the same records.
 */
export type CountMethod =
  | { kind: 'totalCount'; path: string; filter: 'none' | 'customers' | 'dates'; windows: boolean }
  | { kind: 'practices-walk'; measure: 'practices' | 'orders' };

export interface ReconcileTarget {
  entity: string;
  /** The read-model table (its `<table>_live` view: rows not marked deleted). */
  table: string;
  method: CountMethod;
}

const total = (path: string, filter: 'none' | 'customers' | 'dates', windows: boolean): CountMethod => ({
  kind: 'totalCount',
  path,
  filter,
  windows,
});

/**
 * Every entity a report covers, in sync order. RepCard's paths are the ingest's (ingest-repcard
 * domain/requests.ts); attachments have date filters but the list answers no timestamp, so the read
 * model cannot be cut the same way: their rows are totals only.
 */
export const RECONCILE_TARGETS: Readonly<Record<Source, readonly ReconcileTarget[]>> = {
  repcard: [
    { entity: 'users', table: 'repcard_users', method: total('/users/minimal', 'none', false) },
    { entity: 'offices', table: 'repcard_offices', method: total('/offices', 'none', false) },
    { entity: 'customers', table: 'repcard_customers', method: total('/customers', 'customers', true) },
    { entity: 'appointments', table: 'repcard_appointments', method: total('/appointments', 'dates', true) },
    {
      entity: 'status_logs',
      table: 'repcard_status_logs',
      method: total('/customers/status-logs', 'dates', true),
    },
    {
      entity: 'customer_attachments',
      table: 'repcard_customer_attachments',
      method: total('/customers/attachments', 'none', false),
    },
    {
      entity: 'appointment_attachments',
      table: 'repcard_appointment_attachments',
      method: total('/appointments/attachments', 'none', false),
    },
  ],
  curagenesis: [
    {
      entity: 'practices',
      table: 'curagenesis_practices',
      method: { kind: 'practices-walk', measure: 'practices' },
    },
    { entity: 'orders', table: 'curagenesis_orders', method: { kind: 'practices-walk', measure: 'orders' } },
  ],
};

/** The read-model column a RepCard window is cut on, for the date field the source filters on. */
export function repcardDateColumn(field: DateField): string {
  return field === 'created' ? 'created_at' : 'updated_at';
}

/** CuraGenesis practices are cut by `activatedAt` (read from the walk); orders have no cheap count. */
export const CURAGENESIS_WINDOW_COLUMN = { practices: 'activated_at', orders: 'order_date' } as const;
