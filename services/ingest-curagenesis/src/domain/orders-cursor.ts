import { TributaryError } from '@tributary/core';

/**
 * Where an orders sync stands, as one opaque checkpoint cursor: the cursor of the practices page being
 * walked (null: the first page), the index of the next practice on it, and the financials cursor
 * inside that practice's orders (null: its first page).
 */
export interface OrdersPosition {
  practicesCursor: string | null;
  practiceIndex: number;
  financialsCursor: string | null;
}

export const START: OrdersPosition = { practicesCursor: null, practiceIndex: 0, financialsCursor: null };

export function encodeOrdersCursor(p: OrdersPosition): string {
  return Buffer.from(
    JSON.stringify({ v: 1, pc: p.practicesCursor, pi: p.practiceIndex, fc: p.financialsCursor }),
  ).toString('base64url');
}

/** Null (the start) stays the start; anything that is not a cursor of ours is refused. */
export function decodeOrdersCursor(cursor: string | null): OrdersPosition {
  if (cursor === null) return START;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const o = parsed as { v?: unknown; pc?: unknown; pi?: unknown; fc?: unknown } | null;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  if (
    !o ||
    o.v !== 1 ||
    !nullableString(o.pc) ||
    !nullableString(o.fc) ||
    !Number.isInteger(o.pi) ||
    (o.pi as number) < 0
  ) {
    throw new TributaryError(
      'BAD_CHECKPOINT_CURSOR',
      `not an orders checkpoint cursor: ${cursor.slice(0, 80)}`,
    );
  }
  return {
    practicesCursor: o.pc as string | null,
    practiceIndex: o.pi as number,
    financialsCursor: o.fc as string | null,
  };
}
