import type { EntityFetcher } from '@tributary/sync';
import { PRACTICES_PATH, type PracticesPlan } from '../domain/requests';
import { parseCursorPage, type JsonGetter } from './cursor-page';

/** Practices, one cursor page per fetch (the checkpoint keeps the cursor). */
export function practicesFetcher(client: JsonGetter, plan: PracticesPlan): EntityFetcher {
  return {
    paging: 'cursor',
    async fetch({ cursor }, signal) {
      const res = await client.getJson(
        PRACTICES_PATH,
        { ...plan.query, cursor: cursor ?? undefined },
        signal,
      );
      return parseCursorPage(res.body);
    },
  };
}
