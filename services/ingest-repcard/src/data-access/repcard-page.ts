import { TributaryError } from '@tributary/core';
import type { PageResult } from '@tributary/sync';

/**
 * Reads one page of a RepCard list endpoint. Both envelopes are understood: the usual
 * `{status, result: {data, totalCount, currentPage, totalPages}}` and the bare Laravel paginator
 * `{current_page, data, last_page}` of per-customer sub-resources. The page count is `totalPages`
 * (a client reading `lastPage` there stops after page 1).
 */
export function parseRepcardPage(body: unknown, page: number): PageResult {
  const b = (body ?? {}) as Record<string, unknown>;
  const result = (b.result ?? null) as Record<string, unknown> | null;
  if (result && Array.isArray(result.data)) {
    const total = Number(result.totalPages ?? result.lastPage ?? page);
    return { records: result.data, totalPages: Number.isFinite(total) ? total : page };
  }
  if (Array.isArray(result)) return { records: result, totalPages: page };
  if (Array.isArray(b.data)) {
    const total = Number(b.last_page ?? b.totalPages ?? page);
    return { records: b.data, totalPages: Number.isFinite(total) ? total : page };
  }
  throw new TributaryError(
    'SOURCE_BAD_ENVELOPE',
    `RepCard answered an unknown envelope: ${JSON.stringify(body).slice(0, 200)}`,
    {
      retriable: true,
    },
  );
}
