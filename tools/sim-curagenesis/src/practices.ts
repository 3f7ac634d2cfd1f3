/**
 * GET /api/partner/v1/practices: cursor pagination in practice order (by index, which never changes,
 * so concurrent updates neither skip nor repeat a practice within one pass). Simulator assumption:
 * `updated_since` (ISO, inclusive: updatedAt >= updated_since) filters for incremental sync.
 */
import type { SimDataset } from './dataset';
import { decodeCursor, encodeCursor } from './ids';
import { isoTime, pageSize, QueryError, single, type RawQuery } from './query';

export const PRACTICES_PAGE_SIZE = { default: 100, max: 500 } as const;

export interface PracticesQuery {
  pageSize: number;
  start: number;
  sinceMs?: number;
  fingerprint: string;
}

export function parsePracticesQuery(query: RawQuery): PracticesQuery {
  const size = pageSize(query, PRACTICES_PAGE_SIZE.default, PRACTICES_PAGE_SIZE.max);
  const sinceMs = isoTime(query, 'updated_since');
  const fingerprint = `practices|${single(query, 'updated_since') ?? ''}`;
  const cursor = single(query, 'cursor');
  let start = 0;
  if (cursor !== undefined) {
    const decoded = decodeCursor(cursor, fingerprint);
    if (decoded === undefined) throw new QueryError('cursor is invalid or belongs to another query');
    start = decoded;
  }
  return { pageSize: size, start, sinceMs, fingerprint };
}

function* candidates(dataset: SimDataset, q: PracticesQuery): Generator<number> {
  const since = q.sinceMs;
  if (since === undefined) {
    for (let p = q.start; p < dataset.countPractices(); p++) yield p;
  } else if (since > dataset.baseUpdatedAtCeilingMs) {
    // only practices changed by mutations can qualify: no need to look at the rest
    for (const p of dataset.changedPracticeIndexes())
      if (p >= q.start && dataset.updatedAtMsOf(p) >= since) yield p;
  } else {
    for (let p = q.start; p < dataset.countPractices(); p++) if (dataset.updatedAtMsOf(p) >= since) yield p;
  }
}

/** One page of practice indexes plus the cursor of the next page (absent on the last page). */
export function practicesPage(
  dataset: SimDataset,
  q: PracticesQuery,
): { indexes: number[]; nextCursor?: string } {
  const indexes: number[] = [];
  for (const p of candidates(dataset, q)) {
    if (indexes.length === q.pageSize) return { indexes, nextCursor: encodeCursor(p, q.fingerprint) };
    indexes.push(p);
  }
  return { indexes };
}
