import { z } from 'zod';
import { idLike, optionalNumeric, optionalRef, optionalText } from './primitives';
import type { CuragenesisEntity } from './topics';
import { parseOrThrow } from './validation';

/**
 * Lenient schemas of CuraGenesis API records (fields from API-NOTES.md; loose objects). The id is
 * required; its type is unconfirmed, so a number or a non-empty string is accepted.
 */
const text = optionalText;
const ref = optionalRef;
const numeric = optionalNumeric;

export const CuragenesisPracticeSchema = z.looseObject({
  practiceId: idLike,
  userId: ref,
  curaIntakeId: ref,
  specialty: text,
  state: text,
  /** Epoch milliseconds. */
  activatedAt: numeric,
  activatedAtIso: text,
  totalOrders: numeric,
  salesRep: text,
});

export const CuragenesisOrderSchema = z.looseObject({
  order_id: idLike,
  practice_id: ref,
  rep_id: ref,
  total_amount: numeric,
  order_date: text,
  order_date_epoch_ms: numeric,
  invoice_id: ref,
  invoice_total_due: numeric,
  invoice_due_date: text,
  paid: z.union([z.boolean(), z.number(), z.string()]).nullish(),
  cost_of_goods: numeric,
  commission_amount: numeric,
});

export type CuragenesisPractice = z.infer<typeof CuragenesisPracticeSchema>;
export type CuragenesisOrder = z.infer<typeof CuragenesisOrderSchema>;

export const CURAGENESIS_RECORD_SCHEMAS = {
  practices: CuragenesisPracticeSchema,
  orders: CuragenesisOrderSchema,
} as const satisfies Record<CuragenesisEntity, z.ZodType>;

export const CURAGENESIS_ID_FIELDS = {
  practices: 'practiceId',
  orders: 'order_id',
} as const satisfies Record<CuragenesisEntity, string>;

/** Built once: a zod schema costs far more to build (and compile) than to run. */
const CURAGENESIS_ID_SCHEMAS: Record<CuragenesisEntity, z.ZodType<Record<string, string | number>>> = {
  practices: z.object({ [CURAGENESIS_ID_FIELDS.practices]: idLike }),
  orders: z.object({ [CURAGENESIS_ID_FIELDS.orders]: idLike }),
};

/** The record's source id as a string; throws ValidationError naming the field when absent or mistyped. */
export function curagenesisRecordId(entity: CuragenesisEntity, record: unknown): string {
  const field = CURAGENESIS_ID_FIELDS[entity];
  const parsed = parseOrThrow(CURAGENESIS_ID_SCHEMAS[entity], record, `curagenesis ${entity} record id`, {
    entity,
  });
  return String(parsed[field]);
}

/** CuraGenesis records carry no update timestamp: always null (ordering falls back to observedAt). */
export function curagenesisUpdatedAt(_entity: CuragenesisEntity, _record: unknown): string | null {
  return null;
}
