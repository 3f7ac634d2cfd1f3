import type { Express } from 'express';
import type { Pool } from 'pg';
import { entitiesOf, SOURCES, type RepcardEntity, type Source } from '@tributary/contracts';
import { TributaryError, ValidationError } from '@tributary/core';
import { estimateCuragenesisRun, estimateRepcardRun, type RunEstimate } from '@tributary/sync';
import { planRequests } from '../../../ingest-repcard/src/domain/requests';
import { accessTo } from './reconcile-route';
import { requirePermission } from './security/guards';

export interface EstimateRouteOptions {
  pool: Pool;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** How long one estimate is reused (RepCard's costs one request per entity): default 60 s. */
  cacheMs?: number;
}

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The newest completed high-water mark of each entity (where an incremental run starts). */
async function highWaterMarks(pool: Pool, source: Source): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ entity_type: string; high_water_mark: string }>(
    `SELECT DISTINCT ON (entity_type) entity_type, high_water_mark FROM sync_log
     WHERE source = $1 AND status = 'completed' AND high_water_mark IS NOT NULL
     ORDER BY entity_type, completed_at DESC NULLS LAST`,
    [source],
  );
  return new Map(rows.map((r) => [r.entity_type, r.high_water_mark]));
}

/**
 * `GET /api/admin/sync/:source/estimate?mode=full|incremental` (operator): what `tributary sync
 * <source> --dry-run` prints, as JSON (RunEstimate), for the dashboard's Sync Now: the requests of
 * the run per entity and its expected duration at the current budget. RepCard's answer costs one
 * `per_page=1` request per entity at the lowest budget class, so an estimate is reused for `cacheMs`.
 */
export function mountEstimateRoute(app: Express, options: EstimateRouteOptions): void {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const cacheMs = options.cacheMs ?? 60_000;
  const cache = new Map<string, { at: number; estimate: RunEstimate }>();
  app.get('/api/admin/sync/:source/estimate', requirePermission('sync:request'), async (req, res) => {
    const source = String(req.params.source) as Source;
    if (!SOURCES.includes(source))
      throw new TributaryError('NOT_FOUND', `unknown source ${source}: one of ${SOURCES.join(', ')}`);
    const mode = req.query.mode ?? 'incremental';
    if (mode !== 'full' && mode !== 'incremental')
      throw new ValidationError('mode: full or incremental', { details: { field: 'mode' } });
    const key = `${source}/${mode}`;
    const cached = cache.get(key);
    if (cached && Date.now() - cached.at < cacheMs) {
      res.json(cached.estimate);
      return;
    }
    const access = accessTo(source, env);
    try {
      const budget = { limit: access.limit, periodMs: access.periodMs, available: access.budget.available() };
      let estimate: RunEstimate;
      if (source === 'curagenesis') {
        const { rows } = await options.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM curagenesis_practices WHERE deleted_at IS NULL',
        );
        estimate = estimateCuragenesisRun(
          [...entitiesOf(source)],
          rows[0]?.n ?? 0,
          access.curagenesis.pageSize,
          {
            ...budget,
            concurrency: positive(env.CURAGENESIS_CONCURRENCY, 4),
          },
        );
      } else {
        const marks =
          mode === 'incremental' ? await highWaterMarks(options.pool, source) : new Map<string, string>();
        const plans = entitiesOf(source).map((entity) => ({
          entity,
          ...planRequests({
            entity: entity as RepcardEntity,
            command: { mode, window: { from: null, to: null } },
            highWaterMark: marks.get(entity) ?? null,
            now: now(),
            historyStart: access.repcard.historyStart,
            overlapDays: positive(env.REPCARD_OVERLAP_DAYS, 1),
            perPage: positive(env.REPCARD_PER_PAGE, 100),
          }),
        }));
        estimate = await estimateRepcardRun(access.client, plans, {
          ...budget,
          concurrency: positive(env.REPCARD_CONCURRENCY, 8),
        });
      }
      cache.set(key, { at: Date.now(), estimate });
      res.json(estimate);
    } finally {
      access.client.shutdown();
    }
  });
}
