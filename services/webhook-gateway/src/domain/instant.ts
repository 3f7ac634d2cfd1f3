/** A point in time a webhook gives, as polled records carry it: epoch ms and ISO. */
export interface Instant {
  epochMs: number;
  iso: string;
}

/** `2024-05-17`, `2024-05-17T20:45:00`, `2024-05-17 20:45:00.123Z`, `...+02:00`. */
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads a webhook time, which may be epoch milliseconds (a number or a string of digits) or an ISO
 * string (API-NOTES: which one is unconfirmed). An ISO date-time without a zone is taken as UTC (never
 * the host's zone). Anything else is null: the value still travels as received, only unordered.
 */
export function toInstant(value: unknown): Instant | null {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && /^\d+$/.test(value.trim())) ms = Number(value.trim());
  else if (typeof value === 'string') {
    const text = value.trim();
    const match = ISO_LIKE.exec(text);
    if (!match) return null;
    const dateTime =
      text.length > 10 && match[1] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
    ms = Date.parse(dateTime);
  } else return null;
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  return { epochMs: ms, iso: date.toISOString() };
}
