import type { RunningService, ServiceContext } from '@tributary/service';
import { defineIngest, pageNumberFetcher, startIngest } from '@tributary/sync';
import type { IngestRepcardConfig } from './config';
import { parseRepcardPage } from './data-access/repcard-page';
import { repcardHints } from './data-access/refetch';
import { planRequests } from './domain/requests';

/**
 * ingest-repcard: runs RepCard sync commands one at a time, in the document's entity order, on the
 * ingest runtime of libs/sync (each page goes to Kafka with its checkpoint in one transaction; a run
 * interrupted anywhere resumes when its command is redelivered). What is RepCard's: the API key
 * header, page-numbered endpoints read REPCARD_CONCURRENCY pages at a time, and date windows planned
 * from each entity's high-water mark (domain/requests.ts).
 */
export const repcardIngest = defineIngest<'repcard', IngestRepcardConfig>({
  source: 'repcard',
  label: 'RepCard',
  headers: (c) => ({
    'x-api-key': c.REPCARD_API_KEY,
    accept: 'application/json',
    ...(c.REPCARD_USER_TIMEZONE ? { UserTimeZone: c.REPCARD_USER_TIMEZONE } : {}),
  }),
  concurrency: (c) => c.REPCARD_CONCURRENCY,
  // RepCard webhooks (the gateway's secret routes, REPCARD_WEBHOOK_PATH_SECRET) name a record: it is
  // re-fetched first in the budget (ADR 0026). Nothing arrives while the gateway's routes are off.
  hints: (c) =>
    c.REPCARD_WEBHOOK_REFETCH
      ? repcardHints({ perPage: c.REPCARD_PER_PAGE, historyStart: c.REPCARD_HISTORY_START })
      : null,
  fetcher: ({ config, client, command, entity, checkpoint, now }) => {
    const plan = planRequests({
      entity,
      command,
      highWaterMark: checkpoint?.highWaterMark ?? null,
      now,
      historyStart: config.REPCARD_HISTORY_START,
      overlapDays: config.REPCARD_OVERLAP_DAYS,
      perPage: config.REPCARD_PER_PAGE,
    });
    return pageNumberFetcher(client, { path: plan.path, query: plan.query, parse: parseRepcardPage });
  },
});

export function startIngestRepcard(ctx: ServiceContext<IngestRepcardConfig>): Promise<RunningService> {
  return startIngest(repcardIngest, ctx);
}
