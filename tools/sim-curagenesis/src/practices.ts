/**
 * GET /api/partner/v1/practices: cursor pagination in practice order (by index, which never changes,
 * so concurrent updates neither skip nor repeat a practice within one pass). Simulator assumptions:
 * `updated_since` (ISO, inclusive: updatedAt >= updated_since) filters for incremental sync, and
 * `practiceId` answers that one practice (or none): the ingest's re-fetch of a webhook's practice.
 */
import type { SimDataset } from './dataset';
import { decodeCursor, encodeCursor } from './ids';
import { isoTime, pageSize, QueryError, single, type RawQuery } from './query';

export const PRACTICES_PAGE_SIZE = { default: 100, max: 500 } as const;

export interface PracticesQuery {
  pageSize: number;
  start: number;
  sinceMs?: number;
  /** Only this practice (`practiceId=`). */
  practiceId?: string;
  fingerprint: string;
}

export function parsePracticesQuery(query: RawQuery): PracticesQuery {
  const size = pageSize(query, PRACTICES_PAGE_SIZE.default, PRACTICES_PAGE_SIZE.max);
  const sinceMs = isoTime(query, 'updated_since');
  const practiceId = single(query, 'practiceId');
  const fingerprint = `practices|${single(query, 'updated_since') ?? ''}|${practiceId ?? ''}`;
  const cursor = single(query, 'cursor');
  let start = 0;
  if (cursor !== undefined) {
    const decoded = decodeCursor(cursor, fingerprint);
    if (decoded === undefined) throw new QueryError('cursor is invalid or belongs to another query');
    start = decoded;
  }
  return { pageSize: size, start, sinceMs, ...(practiceId !== undefined ? { practiceId } : {}), fingerprint };
}

function* candidates(dataset: SimDataset, q: PracticesQuery): Generator<number> {
  const since = q.sinceMs;
  if (q.practiceId !== undefined) {
    const p = dataset.practiceIndexOf(q.practiceId);
    if (p !== undefined && p >= q.start && (since === undefined || dataset.updatedAtMsOf(p) >= since))
      yield p;
  } else if (since === undefined) {
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
