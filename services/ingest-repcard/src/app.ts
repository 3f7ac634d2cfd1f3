import { REPCARD_ENTITIES, type RepcardEntity } from '@tributary/contracts';
import type { RunningService, ServiceContext } from '@tributary/service';
import { defineIngest, pageNumberFetcher, startIngest } from '@tributary/sync';
import type { IngestRepcardConfig } from './config';
import { parseRepcardPage } from './data-access/repcard-page';
import { planRequests } from './domain/requests';

/**
 * ingest-repcard: runs RepCard sync commands one at a time, in the document's entity order, on the
 * ingest runtime of libs/sync (each page goes to Kafka with its checkpoint in one transaction; a run
 * interrupted anywhere resumes when its command is redelivered). What is RepCard's: one API key with
 * a budget of REPCARD_RATE_LIMIT requests per period, page-numbered endpoints read a few pages at a
 * time, and date windows planned from each entity's high-water mark (domain/requests.ts).
 */
export const repcardIngest = defineIngest<IngestRepcardConfig>({
  name: 'ingest-repcard',
  source: 'repcard',
  label: 'RepCard',
  entities: REPCARD_ENTITIES,
  kafka: (c) => ({
    groupId: c.INGEST_REPCARD_GROUP_ID,
    transactionalId: c.INGEST_REPCARD_TRANSACTIONAL_ID,
    sessionTimeoutMs: c.INGEST_REPCARD_SESSION_TIMEOUT_MS,
  }),
  client: (c) => ({
    baseUrl: c.REPCARD_API_URL,
    headers: {
      'x-api-key': c.REPCARD_API_KEY,
      accept: 'application/json',
      ...(c.REPCARD_USER_TIMEZONE ? { UserTimeZone: c.REPCARD_USER_TIMEZONE } : {}),
    },
    rateLimit: c.REPCARD_RATE_LIMIT,
    ratePeriodMs: c.REPCARD_RATE_PERIOD_MS,
    timeoutMs: c.REPCARD_TIMEOUT_MS,
  }),
  concurrency: (c) => c.REPCARD_CONCURRENCY,
  fetcher: ({ config, client, command, entity, checkpoint, now }) => {
    const plan = planRequests({
      entity: entity as RepcardEntity,
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
