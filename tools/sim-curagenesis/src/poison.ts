/**
 * Poison: a record with its identity intact and valid JSON, holding a value a consumer's database
 * may refuse or has to alter (the CuraGenesis side of sim-repcard's poison.ts):
 * `nul-text` (a NUL in `specialty`), `nul-key` (a NUL inside an object key), `lone-surrogate` (an
 * unpaired UTF-16 surrogate ending `state`), `out-of-range` (`totalOrders` of 1e20),
 * `impossible-date` (`activatedAt` on 30 February) and `huge-string` (a 2 MB `salesRep`).
 * Orders take the same kinds on `rep_id`, `total_amount` and `order_date`.
 */
export const CURAGENESIS_POISON_KINDS = [
  'nul-text',
  'nul-key',
  'lone-surrogate',
  'out-of-range',
  'impossible-date',
  'huge-string',
] as const;
export type CuragenesisPoisonKind = (typeof CURAGENESIS_POISON_KINDS)[number];

export interface PoisonConfig {
  /** Practices served poisoned, by practice id. */
  practices?: Record<string, CuragenesisPoisonKind>;
  /** Orders served poisoned, by order id. */
  orders?: Record<string, CuragenesisPoisonKind>;
}

const FIELDS = {
  practice: {
    text: 'specialty',
    surrogate: 'state',
    integer: 'totalOrders',
    date: 'activatedAt',
    huge: 'salesRep',
  },
  order: { text: 'rep_id', surrogate: 'rep_id', integer: 'total_amount', date: 'order_date', huge: 'rep_id' },
} as const;

/** A poisoned copy of a practice (`kind` 'practice') or an order. */
export function poisonRecord(
  kind: 'practice' | 'order',
  record: object,
  poison: CuragenesisPoisonKind,
): Record<string, unknown> {
  const f = FIELDS[kind];
  const copy = { ...(record as Record<string, unknown>) };
  const text = (field: string): string =>
    typeof copy[field] === 'string' ? (copy[field] as string) : 'text';
  switch (poison) {
    case 'nul-text':
      copy[f.text] = `${text(f.text)}\u0000after-nul`;
      return copy;
    case 'nul-key':
      copy['note\u0000key'] = 'a key with a NUL';
      return copy;
    case 'lone-surrogate':
      copy[f.surrogate] = `${text(f.surrogate)}\ud800`;
      return copy;
    case 'out-of-range':
      copy[f.integer] = 1e20;
      return copy;
    case 'impossible-date':
      copy[f.date] = '2025-02-30T10:00:00.000Z';
      if (kind === 'practice') copy.activatedAtIso = '2025-02-30T10:00:00.000Z';
      return copy;
    case 'huge-string':
      copy[f.huge] = `${text(f.huge)} ${'x'.repeat(2 * 1024 * 1024)}`;
      return copy;
    default: {
      const never: never = poison;
      return never;
    }
  }
}
