import type { RunningService, ServiceContext } from '@tributary/service';
import { cursorFetcher, defineIngest, startIngest } from '@tributary/sync';
import type { IngestCuragenesisConfig } from './config';
import { parseCursorPage } from './data-access/cursor-page';
import { ordersFetcher } from './data-access/orders-fetcher';
import { curagenesisHints } from './data-access/refetch';
import { intervalGate } from './domain/interval-gate';
import { planOrders, planPractices, PRACTICES_PATH } from './domain/requests';

/**
 * ingest-curagenesis: runs CuraGenesis sync commands one at a time, practices then orders, on the
 * ingest runtime of libs/sync (each page goes to Kafka with its checkpoint in one transaction, one
 * entity failing does not stop the other, a redelivered command resumes from its checkpoints). What
 * is CuraGenesis's: cursor-paged endpoints, orders read practice by practice (orders-fetcher.ts), and
 * at most one sync per CURAGENESIS_MIN_SYNC_INTERVAL_MS unless forced: a command inside the interval
 * publishes SyncSkipped (domain/interval-gate.ts).
 */
export const curagenesisIngest = defineIngest<'curagenesis', IngestCuragenesisConfig>({
  source: 'curagenesis',
  label: 'CuraGenesis',
  headers: (c) => ({ [c.CURAGENESIS_AUTH_HEADER]: c.CURAGENESIS_API_KEY, accept: 'application/json' }),
  gate: (c, checkpoints) => intervalGate(c.CURAGENESIS_MIN_SYNC_INTERVAL_MS, checkpoints),
  // Each verified delivery's practice or order is re-fetched, first in the budget (ADR 0026).
  hints: (c) => (c.CURAGENESIS_WEBHOOK_REFETCH ? curagenesisHints(c.CURAGENESIS_PAGE_SIZE) : null),
  fetcher: ({ config, client, command, entity, checkpoint }) => {
    const input = {
      command,
      highWaterMark: checkpoint?.highWaterMark ?? null,
      overlapMinutes: config.CURAGENESIS_OVERLAP_MINUTES,
      pageSize: config.CURAGENESIS_PAGE_SIZE,
    };
    if (entity === 'practices') {
      return cursorFetcher(client, {
        path: PRACTICES_PATH,
        query: planPractices(input).query,
        parse: parseCursorPage,
      });
    }
    return ordersFetcher({
      client,
      plan: planOrders(input),
      concurrency: config.CURAGENESIS_CONCURRENCY,
      batchSize: config.CURAGENESIS_ORDERS_BATCH,
    });
  },
});

export function startIngestCuragenesis(
  ctx: ServiceContext<IngestCuragenesisConfig>,
): Promise<RunningService> {
  return startIngest(curagenesisIngest, ctx);
}
