import type { OutgoingRecord } from '@tributary/kafka';
import type { AtomicPublisher, EntityFetcher, PageResult } from '../src';

/** A published record as a reader of the topic sees it. */
export interface Published {
  topic: string;
  key: string;
  value: Record<string, unknown> & { type: string };
}

/**
 * An in-memory AtomicPublisher: every call is one "transaction", kept in order. Values are checked
 * by their contract as the real codec does before sending. `failOn` makes a transaction throw (and
 * publish nothing), like an aborted Kafka transaction.
 */
export class InMemoryPublisher implements AtomicPublisher {
  readonly transactions: Published[][] = [];
  failOn?: (records: Published[], index: number) => Error | undefined;

  async publishAtomically(records: readonly OutgoingRecord[]): Promise<void> {
    const batch = records.map((r) => {
      r.contract.decode(r.value);
      return { topic: r.contract.topic, key: r.key, value: r.value as Published['value'] };
    });
    const error = this.failOn?.(batch, this.transactions.length);
    if (error) throw error;
    this.transactions.push(batch);
  }

  all(): Published[] {
    return this.transactions.flat();
  }

  ofType(type: string): Published[] {
    return this.all().filter((r) => r.value.type === type);
  }

  /** The records of `topic`, in publishing order. */
  on(topic: string): Published[] {
    return this.all().filter((r) => r.topic === topic);
  }
}

/** A page-numbered API holding `pages` (page N is `pages[N-1]`); `calls` lists the pages asked. */
export function pagedApi(
  pages: unknown[][],
  options: { failAt?: number; delayMs?: (page: number) => number } = {},
) {
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetcher: EntityFetcher = {
    paging: 'pages',
    async fetch({ page }, signal) {
      calls.push(page);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.delayMs?.(page) ?? 0));
        if (signal?.aborted) throw signal.reason;
        if (page === options.failAt) throw new Error(`page ${page} failed`);
        return { records: pages[page - 1] ?? [], totalPages: pages.length };
      } finally {
        inFlight -= 1;
      }
    },
  };
  return { fetcher, calls, maxInFlight: () => maxInFlight };
}

/** A cursor-paged API holding `pages`; the cursor of page N+1 is `c<N>`. */
export function cursorApi(pages: unknown[][]) {
  const calls: (string | null)[] = [];
  const fetcher: EntityFetcher = {
    paging: 'cursor',
    async fetch({ cursor }): Promise<PageResult> {
      calls.push(cursor);
      const index = cursor === null ? 0 : Number(cursor.slice(1));
      return { records: pages[index] ?? [], nextCursor: index + 1 < pages.length ? `c${index + 1}` : null };
    },
  };
  return { fetcher, calls };
}

/** RepCard customers `from`..`to` (ids), updated on consecutive days of January 2026. */
export function customers(from: number, to: number): { id: number; updatedAt: string }[] {
  const out = [];
  for (let id = from; id <= to; id++)
    out.push({ id, updatedAt: new Date(Date.UTC(2026, 0, id, 12)).toISOString() });
  return out;
}
