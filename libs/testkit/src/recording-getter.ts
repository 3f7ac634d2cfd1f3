import type { JsonGetter } from '@tributary/sync';

/** The query a source client's GET is given. */
export type GetQuery = NonNullable<Parameters<JsonGetter['getJson']>[1]>;

/**
 * A fake source client: every GET is recorded in `calls` as `path?query`, then answered 200 with
 * the body `respond` gives (what `respond` throws, the GET throws).
 */
export function recordingGetter(
  respond: (path: string, query: GetQuery) => unknown,
): JsonGetter & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getJson(path, query = {}) {
      calls.push(`${path}?${new URLSearchParams(query as Record<string, string>).toString()}`);
      return { status: 200, body: respond(path, query), headers: new Headers() };
    },
  };
}
