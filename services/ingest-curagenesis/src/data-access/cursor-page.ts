import { TributaryError } from '@tributary/core';
import type { PageResult } from '@tributary/sync';

/**
 * One page of a CuraGenesis list endpoint: `{"items":[...],"nextCursor":"..."}`, the last page
 * without `nextCursor` (an empty or null one counts as absent).
 */
export function parseCursorPage(body: unknown): PageResult & { nextCursor: string | null } {
  const b = (body ?? {}) as Record<string, unknown>;
  const records = Array.isArray(b.items) ? b.items : Array.isArray(b.data) ? b.data : null;
  if (!records) {
    throw new TributaryError(
      'SOURCE_BAD_ENVELOPE',
      `CuraGenesis answered an unknown envelope: ${JSON.stringify(body).slice(0, 200)}`,
      {
        retriable: true,
      },
    );
  }
  const next = b.nextCursor ?? b.next_cursor;
  return { records, nextCursor: typeof next === 'string' && next.length > 0 ? next : null };
}
