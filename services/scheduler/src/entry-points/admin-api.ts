import type { Express, Request } from 'express';
import type { Pool } from 'pg';
import { isSource, SOURCES, type Source, type SyncRequested } from '@tributary/contracts';
import { TributaryError, ValidationError } from '@tributary/core';
import type { Logger, Metrics } from '@tributary/observability';
import { newSyncCommand } from '@tributary/sync';
import { curagenesisKpis, readModelCounts } from '../data-access/read-models';
import { getRun, lastCompletedRuns, listRuns, runTotals, type RunStatus } from '@tributary/read-model';
import {
  HTTP_TRIGGERS,
  mergeRequestOptions,
  parseSyncOptions,
  type HttpTrigger,
} from '../domain/sync-options';
import { requireAdminToken } from './admin-auth';

/** What the schedule looks like now, for `GET /api/admin/schedule` and the dashboard. */
export interface ScheduleInfo {
  enabled: boolean;
  sources: readonly Source[];
  incremental: { cron: string };
  full: { cron: string };
  next: { at: string; mode: string } | null;
}

export interface AdminApiOptions {
  pool: Pool;
  /** Publishes a command; resolves once Kafka acknowledged it. */
  requestSync(command: SyncRequested): Promise<void>;
  schedule(): ScheduleInfo;
  adminToken?: string;
  logger: Logger;
  metrics: Metrics;
  /** Runs listed per source, default 20. */
  runsLimit?: number;
}

/** Who a request came from when it does not say (`requestedBy`). */
const DEFAULT_REQUESTED_BY: Record<HttpTrigger, string> = { api: 'admin-api', manual: 'dashboard' };

function sourceParam(req: Request): Source {
  const source = req.params.source;
  if (!isSource(source)) {
    throw new TributaryError(
      'NOT_FOUND',
      `unknown source "${String(source)}" (known: ${SOURCES.join(', ')})`,
      {
        details: { source },
      },
    );
  }
  return source;
}

function withTotals(run: RunStatus): RunStatus & { totals: ReturnType<typeof runTotals> } {
  return { ...run, totals: runTotals(run) };
}

/** The trigger a request claims, for the metric label only (before or without validation). */
function claimedTrigger(req: Request): HttpTrigger {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.trigger;
  const t = fromBody ?? (req.query as Record<string, unknown>).trigger;
  return (HTTP_TRIGGERS as readonly unknown[]).includes(t) ? (t as HttpTrigger) : 'api';
}

/**
 * The admin API:
 *   POST /api/admin/sync/:source                 request a sync (202 once Kafka acknowledged it)
 *   POST /api/admin/repcard/comprehensive-sync   the old endpoint: the same for RepCard
 *   GET  /api/admin/sync/:source                 the last runs of a source with their entities
 *   GET  /api/admin/repcard/comprehensive-sync   the old endpoint: RepCard's runs
 *   GET  /api/admin/sync/runs/:syncId            one run with its entities and totals (404 if unknown)
 *   GET  /api/admin/schedule                     the schedule and its next firing
 *   GET  /api/kpis                               read-model row counts, last completed sync per source
 * POST routes require the bearer token when ADMIN_TOKEN is set; GET routes only read.
 */
export function mountAdminApi(app: Express, options: AdminApiOptions): void {
  const { pool, logger, metrics } = options;
  const limit = options.runsLimit ?? 20;
  const requests = metrics.counter('tributary_admin_sync_requests_total');

  const authorize = requireAdminToken(options.adminToken, logger, (req) => {
    const source = isSource(req.params.source)
      ? req.params.source
      : req.path.includes('/repcard/')
        ? 'repcard'
        : 'unknown';
    requests.inc({ source, trigger: claimedTrigger(req), outcome: 'unauthorized' });
  });

  async function requestSync(
    req: Request,
    source: Source,
  ): Promise<{ status: number; body: unknown; location: string }> {
    let command: SyncRequested;
    try {
      const parsed = parseSyncOptions(source, mergeRequestOptions(req.query, req.body), {
        requestedBy: DEFAULT_REQUESTED_BY,
      });
      command = newSyncCommand({ source, ...parsed });
    } catch (err) {
      if (err instanceof ValidationError)
        requests.inc({ source, trigger: claimedTrigger(req), outcome: 'invalid' });
      throw err;
    }
    try {
      await options.requestSync(command);
    } catch (err) {
      requests.inc({ source, trigger: command.trigger, outcome: 'failed' });
      throw err;
    }
    requests.inc({ source, trigger: command.trigger, outcome: 'accepted' });
    logger.info(
      'admin.sync_requested',
      `${command.mode} sync of ${source} requested (${command.trigger} by ${command.requestedBy}): ${command.syncId}`,
      {
        syncId: command.syncId,
        source,
        mode: command.mode,
        entities: command.entities,
        window: command.window,
        trigger: command.trigger,
        force: command.force,
      },
    );
    return {
      status: 202,
      location: `/api/admin/sync/runs/${command.syncId}`,
      body: {
        syncId: command.syncId,
        status: 'requested',
        source,
        mode: command.mode,
        entities: command.entities,
        window: command.window,
        force: command.force,
        trigger: command.trigger,
        requestedBy: command.requestedBy,
        requestedAt: command.requestedAt,
      },
    };
  }

  async function sourceStatus(source: Source): Promise<unknown> {
    const runs = await listRuns(pool, source, limit);
    return { source, runs: runs.map(withTotals) };
  }

  // The run route comes first: "runs" would otherwise be taken for a source.
  app.get('/api/admin/sync/runs/:syncId', async (req, res) => {
    const run = await getRun(pool, req.params.syncId);
    if (!run) {
      throw new TributaryError(
        'NOT_FOUND',
        `no sync run ${req.params.syncId} (a run appears once an ingest service has started it)`,
        {
          details: { syncId: req.params.syncId },
        },
      );
    }
    res.json(withTotals(run));
  });

  app.post('/api/admin/sync/:source', authorize, async (req, res) => {
    const out = await requestSync(req, sourceParam(req));
    res.status(out.status).location(out.location).json(out.body);
  });
  app.post('/api/admin/repcard/comprehensive-sync', authorize, async (req, res) => {
    const out = await requestSync(req, 'repcard');
    res.status(out.status).location(out.location).json(out.body);
  });

  app.get('/api/admin/sync/:source', async (req, res) => {
    res.json(await sourceStatus(sourceParam(req)));
  });
  app.get('/api/admin/repcard/comprehensive-sync', async (_req, res) => {
    res.json(await sourceStatus('repcard'));
  });

  app.get('/api/admin/schedule', (_req, res) => {
    res.json(options.schedule());
  });

  app.get('/api/kpis', async (_req, res) => {
    const [bySource, last, cura] = await Promise.all([
      readModelCounts(pool),
      lastCompletedRuns(pool, SOURCES),
      curagenesisKpis(pool),
    ]);
    const lastCompletedSync = Object.fromEntries(
      Object.entries(last).map(([source, run]) => [
        source,
        run && {
          syncId: run.syncId,
          syncType: run.syncType,
          trigger: run.trigger,
          status: run.status,
          startedAt: run.startedAt,
          completedAt: run.completedAt,
          totals: runTotals(run),
        },
      ]),
    );
    res.json({
      generatedAt: new Date().toISOString(),
      tables: Object.assign({}, ...Object.values(bySource)) as Record<string, number>,
      bySource,
      lastCompletedSync,
      curagenesis: cura,
    });
  });
}
