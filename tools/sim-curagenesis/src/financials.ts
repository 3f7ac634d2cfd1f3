/**
 * GET /api/partner/v1/financials: exactly one selector (practiceId | userId | orderId | invoiceId |
 * email | repId), optional from (inclusive) / to (exclusive) on order_date, page_size (200, max 500),
 * cursor. Candidates are produced in ascending order index straight from the layout (a practice's
 * orders are an index range), so no request scans the whole order set.
 */
import type { SimDataset } from './dataset';
import { decodeCursor, encodeCursor, parseRepId } from './ids';
import { isoTime, pageSize, QueryError, single, type RawQuery } from './query';

export const SELECTORS = ['practiceId', 'userId', 'orderId', 'invoiceId', 'email', 'repId'] as const;
export type Selector = (typeof SELECTORS)[number];

export const FINANCIALS_PAGE_SIZE = { default: 200, max: 500 } as const;

export interface FinancialsQuery {
  selector: Selector;
  value: string;
  fromMs?: number;
  toMs?: number;
  pageSize: number;
  start: number;
  fingerprint: string;
}

export function parseFinancialsQuery(query: RawQuery): FinancialsQuery {
  const given = SELECTORS.filter((s) => query[s] !== undefined);
  if (given.length !== 1) {
    throw new QueryError(
      `exactly one selector of ${SELECTORS.join(' | ')} is required; got ${given.length}` +
        (given.length > 0 ? `: ${given.join(', ')}` : ''),
    );
  }
  const selector = given[0] as Selector;
  const value = single(query, selector) as string;
  if (value.trim() === '') throw new QueryError(`${selector} must not be empty`);
  const fromMs = isoTime(query, 'from');
  const toMs = isoTime(query, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs)
    throw new QueryError('from must not be after to');
  const size = pageSize(query, FINANCIALS_PAGE_SIZE.default, FINANCIALS_PAGE_SIZE.max);
  const fingerprint = `financials|${selector}=${value}|${single(query, 'from') ?? ''}|${single(query, 'to') ?? ''}`;
  const cursor = single(query, 'cursor');
  let start = 0;
  if (cursor !== undefined) {
    const decoded = decodeCursor(cursor, fingerprint);
    if (decoded === undefined) throw new QueryError('cursor is invalid or belongs to another query');
    start = decoded;
  }
  return { selector, value, fromMs, toMs, pageSize: size, start, fingerprint };
}

function practiceFor(dataset: SimDataset, selector: Selector, value: string): number | undefined {
  if (selector === 'practiceId') return dataset.practiceIndexOf(value);
  if (selector === 'userId') return dataset.practiceIndexOfUser(value);
  if (selector === 'email') return dataset.practiceIndexOfEmail(value);
  return undefined;
}

function* practiceCandidates(dataset: SimDataset, p: number, start: number): Generator<number> {
  const [from, to] = dataset.baseOrderRange(p);
  for (let i = Math.max(from, start); i < to; i++) yield i;
  for (const i of dataset.extraOrdersOf(p)) if (i >= start) yield i;
}

function* repCandidates(dataset: SimDataset, rep: number, start: number): Generator<number> {
  const reps = dataset.countReps();
  const practices = dataset.countPractices();
  const extras: number[] = [];
  for (let p = rep; p < practices; p += reps) {
    const [from, to] = dataset.baseOrderRange(p);
    for (let i = Math.max(from, start); i < to; i++) yield i;
    for (const i of dataset.extraOrdersOf(p)) if (i >= start) extras.push(i);
  }
  yield* extras.sort((a, b) => a - b);
}

/** Order indexes matching the selector, ascending, from `start` on. */
export function* candidates(dataset: SimDataset, q: FinancialsQuery): Generator<number> {
  switch (q.selector) {
    case 'practiceId':
    case 'userId':
    case 'email': {
      const p = practiceFor(dataset, q.selector, q.value);
      if (p !== undefined) yield* practiceCandidates(dataset, p, q.start);
      return;
    }
    case 'orderId':
    case 'invoiceId': {
      const i =
        q.selector === 'orderId' ? dataset.orderIndexOf(q.value) : dataset.orderIndexOfInvoice(q.value);
      if (i !== undefined && i >= q.start) yield i;
      return;
    }
    case 'repId': {
      const rep = parseRepId(q.value);
      if (rep !== undefined && rep < dataset.countReps()) yield* repCandidates(dataset, rep, q.start);
      return;
    }
  }
}

/** One page of order indexes plus the cursor of the next page (absent on the last page). */
export function financialsPage(
  dataset: SimDataset,
  q: FinancialsQuery,
): { indexes: number[]; nextCursor?: string } {
  const indexes: number[] = [];
  for (const i of candidates(dataset, q)) {
    if (q.fromMs !== undefined || q.toMs !== undefined) {
      const at = dataset.orderDateMsOf(i);
      if ((q.fromMs !== undefined && at < q.fromMs) || (q.toMs !== undefined && at >= q.toMs)) continue;
    }
    if (indexes.length === q.pageSize) return { indexes, nextCursor: encodeCursor(i, q.fingerprint) };
    indexes.push(i);
  }
  return { indexes };
}
