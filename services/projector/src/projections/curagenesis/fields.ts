import { boolean, calendarDate, ident, integer, numeric, text, timestamp } from '../../core/converters';
import type { FieldSpec } from '../../core/field-table';

/**
 * Field tables of CuraGenesis records. Polled records have the API's shape (API-NOTES.md); webhook
 * records may have the webhook's (`practiceId`, `orderId`, `totalAmount`, `orderAmount`,
 * `orderDate`, ...), hence several keys per column.
 */
export const PRACTICE_FIELDS: readonly FieldSpec[] = [
  { column: 'practice_id', keys: ['practiceId'], convert: ident },
  { column: 'user_id', keys: ['userId'], convert: ident },
  { column: 'cura_intake_id', keys: ['curaIntakeId'], convert: ident },
  { column: 'state', keys: ['state'], convert: text },
  { column: 'specialty', keys: ['specialty'], convert: text },
  { column: 'sales_rep', keys: ['salesRep'], convert: text },
  { column: 'total_orders', keys: ['totalOrders'], convert: integer },
  { column: 'activated_at', keys: ['activatedAt', 'activatedAtIso'], convert: timestamp },
  { column: 'source_updated_at', keys: ['updatedAt'], convert: timestamp },
];

export const ORDER_FIELDS: readonly FieldSpec[] = [
  { column: 'order_id', keys: ['order_id', 'orderId', 'id'], convert: ident },
  { column: 'practice_id', keys: ['practice_id', 'practiceId'], convert: ident },
  { column: 'user_id', keys: ['user_id', 'userId'], convert: ident },
  { column: 'rep_id', keys: ['rep_id', 'repId'], convert: ident },
  { column: 'total_amount', keys: ['total_amount', 'totalAmount', 'orderAmount'], convert: numeric },
  { column: 'order_date', keys: ['order_date', 'orderDate', 'order_date_epoch_ms'], convert: timestamp },
  { column: 'invoice_id', keys: ['invoice_id', 'invoiceId'], convert: ident },
  { column: 'invoice_total_due', keys: ['invoice_total_due'], convert: numeric },
  { column: 'invoice_due_date', keys: ['invoice_due_date'], convert: calendarDate },
  { column: 'paid', keys: ['paid'], convert: boolean },
  { column: 'cost_of_goods', keys: ['cost_of_goods'], convert: numeric },
  { column: 'commission_amount', keys: ['commission_amount'], convert: numeric },
  { column: 'status', keys: ['status'], convert: text },
];
