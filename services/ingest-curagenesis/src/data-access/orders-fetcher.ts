import type { EntityFetcher, JsonGetter, PageResult } from '@tributary/sync';
import { decodeOrdersCursor, encodeOrdersCursor, type OrdersPosition } from '../domain/orders-cursor';
import { FINANCIALS_PATH, PRACTICES_PATH, type OrdersPlan } from '../domain/requests';
import { parseCursorPage } from './cursor-page';

export interface OrdersFetcherOptions {
  client: JsonGetter;
  plan: OrdersPlan;
  /** Practices whose financials are requested at once (the ones ahead are prefetched). */
  concurrency: number;
  /** Records per returned page (one Kafka transaction each); a page ends at a financials page boundary. */
  batchSize: number;
}

interface PracticesPage {
  ids: string[];
  next: string | null;
}

type Financials = PageResult & { nextCursor: string | null };

/**
 * Orders of every practice. The financials endpoint needs exactly one selector, so this walks the
 * practices by cursor and pages each practice's `financials?practiceId=...`, a few practices at a
 * time; each fetch returns about `batchSize` orders and a cursor encoding (practices cursor, practice
 * index, financials cursor), so a run killed anywhere resumes at its last committed batch and learns
 * the practice ids again from the API (no state outside the checkpoint).
 */
export function ordersFetcher(options: OrdersFetcherOptions): EntityFetcher {
  const { client, plan } = options;
  const width = Math.max(1, options.concurrency);
  const batchSize = Math.max(1, options.batchSize);
  const practicePages = new Map<string, Promise<PracticesPage>>();
  const financials = new Map<string, Promise<Financials>>();
  const pageKey = (cursor: string | null) => cursor ?? '';
  const financialsKey = (practiceId: string, cursor: string | null) => `${practiceId}\u0000${cursor ?? ''}`;

  const practicesPage = (cursor: string | null, signal?: AbortSignal): Promise<PracticesPage> => {
    let pending = practicePages.get(pageKey(cursor));
    if (!pending) {
      pending = client
        .getJson(PRACTICES_PATH, { ...plan.practicesQuery, cursor: cursor ?? undefined }, signal)
        .then((res) => {
          const page = parseCursorPage(res.body);
          const ids = page.records
            .map((r) => (r as { practiceId?: unknown } | null)?.practiceId)
            .filter(
              (id): id is string | number =>
                (typeof id === 'string' && id.length > 0) || typeof id === 'number',
            )
            .map(String);
          return { ids, next: page.nextCursor };
        });
      pending.catch(() => undefined); // awaited where used
      practicePages.set(pageKey(cursor), pending);
    }
    return pending;
  };

  const prefetch = (practiceId: string, cursor: string | null, signal?: AbortSignal): void => {
    const key = financialsKey(practiceId, cursor);
    if (financials.has(key)) return;
    const pending = client
      .getJson(FINANCIALS_PATH, { ...plan.financialsQuery, practiceId, cursor: cursor ?? undefined }, signal)
      .then((res) => parseCursorPage(res.body));
    pending.catch(() => undefined); // awaited by take()
    financials.set(key, pending);
  };

  const take = (practiceId: string, cursor: string | null, signal?: AbortSignal): Promise<Financials> => {
    prefetch(practiceId, cursor, signal);
    const key = financialsKey(practiceId, cursor);
    const pending = financials.get(key)!;
    financials.delete(key);
    return pending;
  };

  return {
    paging: 'cursor',
    async fetch(position, signal) {
      let at: OrdersPosition = decodeOrdersCursor(position.cursor);
      const records: unknown[] = [];
      for (;;) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        const page = await practicesPage(at.practicesCursor, signal);
        if (at.practiceIndex >= page.ids.length) {
          practicePages.delete(pageKey(at.practicesCursor));
          if (!page.next) return { records, nextCursor: null };
          at = { practicesCursor: page.next, practiceIndex: 0, financialsCursor: null };
          if (records.length >= batchSize) return { records, nextCursor: encodeOrdersCursor(at) };
          continue;
        }
        // Keep `width` practices in flight; near the end of the page, ask for the next page early.
        const end = Math.min(page.ids.length, at.practiceIndex + width);
        for (let i = at.practiceIndex + 1; i < end; i++) prefetch(page.ids[i]!, null, signal);
        if (page.next && end === page.ids.length) void practicesPage(page.next, signal);
        const result = await take(page.ids[at.practiceIndex]!, at.financialsCursor, signal);
        records.push(...result.records);
        at = result.nextCursor
          ? { ...at, financialsCursor: result.nextCursor }
          : { ...at, practiceIndex: at.practiceIndex + 1, financialsCursor: null };
        if (records.length >= batchSize) return { records, nextCursor: encodeOrdersCursor(at) };
      }
    },
  };
}
