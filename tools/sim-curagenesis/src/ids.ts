/**
 * Record identifiers. Every id encodes its index, so a lookup by id is arithmetic, never a scan.
 * `parse*` answer undefined for anything that is not the canonical spelling.
 */

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function parseWith(prefix: string, width: number, id: string): number | undefined {
  if (!id.startsWith(prefix)) return undefined;
  const digits = id.slice(prefix.length);
  if (!/^\d+$/.test(digits)) return undefined;
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n < 1 || pad(n, width) !== digits) return undefined;
  return n - 1;
}

export const practiceIdOf = (index: number): string => `PR-${pad(index + 1, 6)}`;
export const parsePracticeId = (id: string): number | undefined => parseWith('PR-', 6, id);

export const userIdOf = (practiceIndex: number): string => `USR-${pad(practiceIndex + 1, 6)}`;
export const parseUserId = (id: string): number | undefined => parseWith('USR-', 6, id);

/** The practice user's login e-mail (selector `email` of /financials; not a field of the practice record). */
export const emailOf = (practiceIndex: number): string =>
  `practice${pad(practiceIndex + 1, 6)}@sim.curagenesis.test`;
export function parseEmail(email: string): number | undefined {
  const m = /^practice(\d+)@sim\.curagenesis\.test$/.exec(email.trim().toLowerCase());
  return m ? parseWith('', 6, m[1] as string) : undefined;
}

export const orderIdOf = (index: number): string => `ORD-${pad(index + 1, 7)}`;
export const parseOrderId = (id: string): number | undefined => parseWith('ORD-', 7, id);

export const invoiceIdOf = (orderIndex: number): string => `INV-${pad(orderIndex + 1, 7)}`;
export const parseInvoiceId = (id: string): number | undefined => parseWith('INV-', 7, id);

export const repIdOf = (repIndex: number): string => `REP-${pad(repIndex + 1, 3)}`;
export const parseRepId = (id: string): number | undefined => parseWith('REP-', 3, id);

/** Opaque cursor: base64url of `{ i: next index, q: fingerprint of the query it belongs to }`. */
export function encodeCursor(index: number, query: string): string {
  return Buffer.from(JSON.stringify({ i: index, q: query }), 'utf8').toString('base64url');
}

/** Answers the index, or undefined when the cursor is not ours or belongs to another query. */
export function decodeCursor(cursor: string, query: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { i, q } = parsed as { i?: unknown; q?: unknown };
    if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0 || q !== query) return undefined;
    return i;
  } catch {
    return undefined;
  }
}
