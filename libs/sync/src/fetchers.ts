import type { SourceClient } from './source-client';

/** One page as the API answered it. `totalPages` for page-numbered APIs, `nextCursor` for cursor APIs. */
export interface PageResult {
  records: unknown[];
  totalPages?: number | null;
  nextCursor?: string | null;
}

export type PagePosition = { page: number; cursor: string | null };

/** How to read one entity: page-numbered (RepCard) or cursor-paged (CuraGenesis). */
export interface EntityFetcher {
  paging: 'pages' | 'cursor';
  fetch(position: PagePosition, signal?: AbortSignal): Promise<PageResult>;
}

/** What a fetcher needs of the HTTP client (SourceClient: budget, retries, breaker). */
export type JsonGetter = Pick<SourceClient, 'getJson'>;

type Query = Record<string, string | number>;

/** Every page of `path?query&page=N`; `parse` reads the API's envelope (records and page count). */
export function pageNumberFetcher(
  client: JsonGetter,
  request: { path: string; query: Query; parse(body: unknown, page: number): PageResult },
): EntityFetcher {
  return {
    paging: 'pages',
    async fetch({ page }, signal) {
      const res = await client.getJson(request.path, { ...request.query, page }, signal);
      return request.parse(res.body, page);
    },
  };
}

/** Every page of `path?query&cursor=...` (no cursor on the first); `parse` reads records and next cursor. */
export function cursorFetcher(
  client: JsonGetter,
  request: { path: string; query: Query; parse(body: unknown): PageResult },
): EntityFetcher {
  return {
    paging: 'cursor',
    async fetch({ cursor }, signal) {
      const res = await client.getJson(
        request.path,
        { ...request.query, cursor: cursor ?? undefined },
        signal,
      );
      return request.parse(res.body);
    },
  };
}
