import { recordId, recordUpdatedAt, type Source } from '@tributary/contracts';
import type { JsonGetter } from '../fetchers';
import type { SourceRecord } from './drift';
import type { DriftTarget } from './drift-targets';
import { PRACTICES_PATH } from './source-counts';

/** RepCard's largest safe page (API-NOTES: 100). */
export const REPCARD_MAX_PER_PAGE = 100;

/** What a sample of one entity needs to know. */
export interface SampleOptions {
  /** Records to sample (at most; fewer when the source has fewer). */
  size: number;
  /** How many rows the read model holds (picks the page range to sample from). */
  storedRows: number;
  /** [0, 1): which page range is sampled (Math.random; tests pass a constant). */
  random: () => number;
  /** RepCard: the range a full sync reads, for lists whose dates are required. */
  dates: { from: string; to: string };
  /** CuraGenesis page size. */
  pageSize: number;
  signal?: AbortSignal;
}

/** The records of a RepCard list answer (`result.data`, a bare `result` list, or a paginator's `data`). */
function repcardRecords(body: unknown): unknown[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const result = b.result as Record<string, unknown> | unknown[] | undefined;
  if (Array.isArray(result)) return result;
  if (result && Array.isArray(result.data)) return result.data;
  return Array.isArray(b.data) ? b.data : [];
}

/** The records of a CuraGenesis list answer (`items`) and its next cursor. */
function cursorPage(body: unknown): { records: unknown[]; next: string | null } {
  const b = (body ?? {}) as Record<string, unknown>;
  const records = Array.isArray(b.items) ? b.items : Array.isArray(b.data) ? b.data : [];
  const next = b.nextCursor ?? b.next_cursor;
  return { records, next: typeof next === 'string' && next.length > 0 ? next : null };
}

/** Pure: which pages of `perPage` records a sample of `size` reads, out of about `stored` records. */
export function samplePages(size: number, stored: number, perPage: number, random: () => number): number[] {
  const needed = Math.max(1, Math.ceil(size / perPage));
  const pages = Math.max(1, Math.ceil(stored / perPage));
  const first = 1 + Math.floor(random() * Math.max(1, pages - needed + 1));
  return Array.from({ length: needed }, (_, i) => first + i);
}

function toSourceRecord(source: Source, entity: string, record: unknown): SourceRecord | null {
  try {
    return {
      id: recordId(source, entity, record),
      record: record as Record<string, unknown>,
      versionAt: recordUpdatedAt(source, entity, record),
    };
  } catch {
    return null; // a record without an id is the ingest's malformed count, not drift
  }
}

/**
 * Reads a sample of one entity from the source through `client` (a SourceClient: its rate budget,
 * retries and breaker): RepCard, `size` records from consecutive pages at a random place; CuraGenesis
 * practices, the first `size`; orders, those of the first practices until `size`. Returns the
 * records and the requests spent.
 */
export async function sampleAtSource(
  source: Source,
  target: DriftTarget,
  client: JsonGetter,
  options: SampleOptions,
): Promise<{ records: SourceRecord[]; requests: number }> {
  const { size, signal } = options;
  const out: SourceRecord[] = [];
  let requests = 0;
  const keep = (records: readonly unknown[]) => {
    for (const r of records) {
      if (out.length >= size) return;
      const s = toSourceRecord(source, target.entity, r);
      if (s) out.push(s);
    }
  };
  const read = target.read;
  if (read.kind === 'pages') {
    const perPage = Math.min(size, REPCARD_MAX_PER_PAGE);
    const dates = read.dates ? { from_date: options.dates.from, to_date: options.dates.to } : {};
    for (const page of samplePages(size, options.storedRows, perPage, options.random)) {
      const res = await client.getJson(read.path, { ...dates, per_page: perPage, page }, signal);
      requests++;
      const records = repcardRecords(res.body);
      keep(records);
      if (records.length < perPage) break;
    }
    return { records: out, requests };
  }
  const pageSize = Math.min(size, options.pageSize);
  if (read.kind === 'cursor') {
    let cursor: string | undefined;
    do {
      const res = await client.getJson(read.path, { page_size: pageSize, cursor }, signal);
      requests++;
      const page = cursorPage(res.body);
      keep(page.records);
      cursor = page.next ?? undefined;
    } while (cursor && out.length < size);
    return { records: out, requests };
  }
  // Orders: the financials of the first practices, one request each, until the sample is full.
  const practices = await sampleAtSource(
    source,
    {
      entity: 'practices',
      table: '',
      key: '',
      keyType: 'text',
      read: { kind: 'cursor', path: PRACTICES_PATH },
    },
    client,
    { ...options, size: Math.min(size, options.pageSize) },
  );
  requests += practices.requests;
  for (const p of practices.records) {
    if (out.length >= size) break;
    const res = await client.getJson(read.path, { practiceId: p.id, page_size: pageSize }, signal);
    requests++;
    keep(cursorPage(res.body).records);
  }
  return { records: out, requests };
}
