import {
  CheckpointContract,
  checkpointKey,
  entitiesOf,
  type RepcardEntity,
  type Source,
} from '@tributary/contracts';
import { createPool } from '@tributary/db';
import { nullLogger } from '@tributary/observability';
import { connectPlatform } from '@tributary/service';
import {
  estimateCuragenesisRun,
  estimateRepcardRun,
  formatRunEstimate,
  readCheckpoints,
  type RunEstimate,
} from '@tributary/sync';
import { planRequests } from '../../../services/ingest-repcard/src/domain/requests';
import type { CliRequest } from './args';
import { sourceAccess } from './reconcile/source-access';

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The entities' high-water marks (incremental runs start there), when Kafka is configured. */
async function highWaterMarks(source: Source): Promise<Map<string, string | null>> {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = process.env;
  if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL) return new Map();
  const { kafka, codec } = await connectPlatform({
    brokers: KAFKA_BROKERS.split(','),
    registryUrl: SCHEMA_REGISTRY_URL,
    clientId: 'sync-dry-run',
    logger: nullLogger(),
  });
  const checkpoints = await readCheckpoints(kafka, source, (buf) => codec.decode(buf, CheckpointContract));
  codec.close();
  return new Map(
    entitiesOf(source).map((e) => [e, checkpoints.get(checkpointKey(source, e))?.highWaterMark ?? null]),
  );
}

async function livePractices(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) return 0;
  const pool = createPool(url, { max: 1, applicationName: 'sync-dry-run' });
  try {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM curagenesis_practices WHERE deleted_at IS NULL',
    );
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  } finally {
    await pool.end();
  }
}

/**
 * `tributary sync <source> --dry-run [flags]` (issue 13 item 5): the requests the run would make,
 * per entity, and its expected duration at the current budget; nothing is synced. RepCard's counts
 * cost one `per_page=1` request per entity (spent at the lowest budget class); CuraGenesis' come from
 * the read model.
 */
export async function estimateFromCli(
  source: Source,
  req: CliRequest,
  now = new Date(),
): Promise<RunEstimate> {
  const access = sourceAccess(source);
  const env = process.env;
  const budget = { limit: access.limit, periodMs: access.periodMs, available: access.budget.available() };
  try {
    if (source === 'curagenesis')
      return estimateCuragenesisRun(req.entities, await livePractices(), access.curagenesis.pageSize, {
        ...budget,
        concurrency: positive(env.CURAGENESIS_CONCURRENCY, 4),
      });
    const marks =
      req.mode === 'incremental' ? await highWaterMarks(source) : new Map<string, string | null>();
    const command = { mode: req.mode, window: { from: req.from, to: req.to } };
    const plans = req.entities.map((entity) => ({
      entity,
      ...planRequests({
        entity: entity as RepcardEntity,
        command,
        highWaterMark: marks.get(entity) ?? null,
        now,
        historyStart: access.repcard.historyStart,
        overlapDays: positive(env.REPCARD_OVERLAP_DAYS, 1),
        perPage: positive(env.REPCARD_PER_PAGE, 100),
      }),
    }));
    return await estimateRepcardRun(access.client, plans, {
      ...budget,
      concurrency: positive(env.REPCARD_CONCURRENCY, 8),
    });
  } finally {
    access.client.shutdown();
  }
}

export async function dryRun(source: Source, req: CliRequest): Promise<number> {
  const estimate = await estimateFromCli(source, req);
  for (const line of formatRunEstimate(estimate)) process.stdout.write(`${line}\n`);
  return 0;
}
