import type { CuragenesisEntity, RecordObserved } from '@tributary/contracts';
import { INVALID, numeric, text, type Converter } from '../../core/converters';
import { mapColumns, type Row } from '../../core/field-table';
import { obj, type Json } from '../../core/json';
import { CURAGENESIS_TABLES } from './tables';

/**
 * Pure mapping of one observed CuraGenesis record to its read-model columns (field tables in
 * fields.ts). Webhook records may still be wrapped in the delivery body (`{event, data}` /
 * `{eventType, order}`), and are usually partial: only the columns whose keys are present are written.
 */

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

/** A record that cannot be stored says why (`error`: the problems, `; `-separated). */
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
      const v = convert(item[k], item);
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
  const fail = (why: string): Normalised => ({ ok: false, error: why });
  const webhook = event.origin === 'webhook';
  const unwrapped = webhook ? unwrapPayload(event.payload) : { record: obj(event.payload), event: null };
  const record = unwrapped.record;
  if (!record) return fail('not an object');
  const spec = CURAGENESIS_TABLES[entity];
  const { row, problems } = mapColumns(spec.fields, record, spec.columns);
  const keyColumn = spec.key;
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
  // `last_source` is the path (poll | webhook); a re-fetch or a repair read the API (`_observed_via` tells which).
  row.last_source = webhook ? 'webhook' : 'poll';
  row.last_delivery_id = event.deliveryId;
  return { ok: true, value: { key: String(row[keyColumn]), row, items, event: unwrapped.event, record } };
}
