import type { CuragenesisEntity, RecordObserved } from '@tributary/contracts';
import type { Row } from '../domain/repcard-rows';
import { obj, type Json } from '../domain/values';
import {
  boolean,
  calendarDate,
  ident,
  integer,
  INVALID,
  mapColumns,
  numeric,
  text,
  timestamp,
  type Converter,
  type FieldSpec,
} from './fields';

/**
 * Pure mapping of one observed CuraGenesis record to its read-model columns. Polled records have the
 * API's shape (API-NOTES.md); webhook records may have the webhook's shape (`practiceId`, `orderId`,
 * `totalAmount`, `orderAmount`, `orderDate`, `items`, ...), possibly still wrapped in the delivery body
 * (`{event, data}` / `{eventType, order}`), and are usually partial: only the columns whose keys are
 * present are written.
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

export const KEY_COLUMN: Record<CuragenesisEntity, string> = { practices: 'practice_id', orders: 'order_id' };

export interface ItemRow {
  line_no: number;
  sku: string | null;
  product_name: string | null;
  quantity: number | null;
  unit_price: number | null;
}

export interface NormalisedRecord {
  key: string;
  row: Row;
  /** Order lines when the record carries them (null: it says nothing about lines). */
  items: ItemRow[] | null;
  /** The webhook event, when the payload names it. */
  event: string | null;
  /** The payload without a delivery-body wrapper (what raw_data keeps). */
  record: Json;
}

export type Normalised = { ok: true; value: NormalisedRecord } | { ok: false; error: string };

/** A webhook payload may still be the delivery body: `{event, data}` or `{eventType, order}`. */
export function unwrapPayload(payload: unknown): { record: Json | null; event: string | null } {
  const p = obj(payload);
  if (!p) return { record: null, event: null };
  if (typeof p.event === 'string' && obj(p.data)) return { record: obj(p.data), event: p.event };
  if (typeof p.eventType === 'string' && obj(p.order)) return { record: obj(p.order), event: p.eventType };
  const event = typeof p.event === 'string' ? p.event : typeof p.eventType === 'string' ? p.eventType : null;
  return { record: p, event };
}

export function mapItems(value: unknown): { items: ItemRow[]; problems: string[] } {
  const problems: string[] = [];
  if (!Array.isArray(value)) return { items: [], problems: ['items: not an array'] };
  const items = value.map((raw, i): ItemRow => {
    const item = obj(raw);
    if (!item) {
      problems.push(`items.${i}: not an object`);
      return { line_no: i + 1, sku: null, product_name: null, quantity: null, unit_price: null };
    }
    const pick = (keys: string[], convert: Converter) => {
      const k = keys.find((key) => key in item);
      if (k === undefined) return null;
      const v = convert(item[k]);
      if (v === INVALID) {
        problems.push(`items.${i}.${k}: ${JSON.stringify(item[k])?.slice(0, 40)} is not valid`);
        return null;
      }
      return v;
    };
    return {
      line_no: i + 1,
      sku: pick(['sku'], text) as string | null,
      product_name: pick(['productName', 'product_name', 'name'], text) as string | null,
      quantity: pick(['quantity', 'qty'], numeric) as number | null,
      unit_price: pick(['unitPrice', 'unit_price', 'price'], numeric) as number | null,
    };
  });
  return { items, problems };
}

/**
 * Validates and maps one observed record. Malformed (→ failure, DLQ): no record, no id, or a present
 * value its column cannot hold; a polled order must name its practice.
 */
export function normaliseRecord(entity: CuragenesisEntity, event: RecordObserved): Normalised {
  const fail = (why: string): Normalised => ({
    ok: false,
    error: `malformed ${entity} record ${event.id}: ${why}`,
  });
  const webhook = event.origin === 'webhook';
  const unwrapped = webhook ? unwrapPayload(event.payload) : { record: obj(event.payload), event: null };
  const record = unwrapped.record;
  if (!record) return fail('not an object');
  const fields = entity === 'practices' ? PRACTICE_FIELDS : ORDER_FIELDS;
  const { row, problems } = mapColumns(fields, record);
  const keyColumn = KEY_COLUMN[entity];
  if (row[keyColumn] === undefined && webhook) row[keyColumn] = event.id;
  if (row[keyColumn] === null || row[keyColumn] === undefined) problems.unshift(`no ${keyColumn}`);
  if (entity === 'orders' && !webhook && (row.practice_id === null || row.practice_id === undefined)) {
    problems.push('practice_id: an order must name its practice');
  }
  let items: ItemRow[] | null = null;
  if (entity === 'orders' && 'items' in record && record.items !== null && record.items !== undefined) {
    const mapped = mapItems(record.items);
    problems.push(...mapped.problems);
    items = mapped.items;
  }
  if (problems.length) return fail(problems.join('; '));
  row.last_source = event.origin;
  row.last_delivery_id = event.deliveryId;
  return { ok: true, value: { key: String(row[keyColumn]), row, items, event: unwrapped.event, record } };
}
