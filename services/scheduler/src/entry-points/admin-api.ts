import type { ErrorRequestHandler, Express, Request, Response } from 'express';
import type { Pool } from 'pg';
import { isSource, SOURCES, type Source } from '@tributary/contracts';
import { hasErrorCode, TributaryError, ValidationError } from '@tributary/core';
import { listAudit, recordAudit, type Principal } from '@tributary/auth';
import type { Logger, Metrics } from '@tributary/observability';
import { newSyncCommand } from '@tributary/sync';
import { curagenesisKpis, readModelCounts } from '../data-access/read-models';
import { getRun, lastCompletedRuns, listRuns, runTotals, type RunStatus } from '@tributary/read-model';
import { HTTP_TRIGGERS, parseSyncOptions, type HttpTrigger } from '../domain/sync-options';
import type { SyncRequester } from '../domain/sync-requester';
import { mountCancelRoute, type CancelRouteOptions } from './cancel-route';
import { requirePermission } from './security/guards';
import { principalOf } from './security/principal';
import { rateLimitPerMinute } from './security/rate-limit';

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
  requester: SyncRequester;
  schedule(): ScheduleInfo;
  logger: Logger;
  metrics: Metrics;
  /** Sync requests per user per minute. */
  rateLimitPerMinute: number;
  /** Runs listed per source, default 20. */
  runsLimit?: number;
  /** Publishes a cancel on sync.control (`POST /api/admin/sync/runs/:syncId/cancel`, ADR 0017). */
  publishCancel: CancelRouteOptions['publishCancel'];
}

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
  const t = (req.body as Record<string, unknown> | undefined)?.trigger;
  return (HTTP_TRIGGERS as readonly unknown[]).includes(t) ? (t as HttpTrigger) : 'api';
}

/**
 * The options of a sync request: a JSON body only (the query string is refused, so no link or form
 * can carry options), and never `requestedBy`: who asks is the credential's user.
 */
export function syncRequestOptions(req: Request, source: Source, principal: Principal) {
  const query = Object.keys(req.query as object);
  if (query.length > 0) {
    throw new ValidationError(`${query[0]}: options go in a JSON body, not the query string`, {
      details: { field: query[0] },
    });
  }
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('body: must be a JSON object of options', { details: { field: 'body' } });
  }
  if ('requestedBy' in body) {
    throw new ValidationError('requestedBy: not an option (who asks is the signed-in user or token)', {
      details: { field: 'requestedBy' },
    });
  }
  const by = principal.username;
  return parseSyncOptions(source, body as Record<string, unknown>, { requestedBy: { api: by, manual: by } });
}

/**
 * The admin API. Every route needs a role (viewer reads; operator requests syncs; admin reads the
 * audit log):
 *   POST /api/admin/sync/:source                 request a sync (202 once Kafka acknowledged it)
 *   POST /api/admin/repcard/comprehensive-sync   the old endpoint: the same for RepCard
 *   GET  /api/admin/sync/:source                 the last runs of a source with their entities
 *   GET  /api/admin/repcard/comprehensive-sync   the old endpoint: RepCard's runs
 *   GET  /api/admin/sync/runs/:syncId            one run with its entities and totals (404 if unknown)
 *   POST /api/admin/sync/runs/:syncId/cancel     cancel a queued or running sync (operator; 202, 404, 409)
 *   GET  /api/admin/schedule                     the schedule and its next firing
 *   GET  /api/admin/audit                        the latest audit rows (admin)
 *   GET  /api/kpis                               read-model row counts, last completed sync per source
 */
export function mountAdminApi(app: Express, options: AdminApiOptions): void {
  const { pool, logger, metrics, requester } = options;
  const limit = options.runsLimit ?? 20;
  const requests = metrics.counter('tributary_admin_sync_requests_total');
  const readRuns = requirePermission('runs:read');
  const mayRequest = [
    requirePermission('sync:request'),
    rateLimitPerMinute('sync', options.rateLimitPerMinute),
  ];

  async function requestSync(req: Request, res: Response, source: Source): Promise<void> {
    const principal = principalOf(res);
    let command;
    try {
      command = newSyncCommand({ source, ...syncRequestOptions(req, source, principal) });
    } catch (err) {
      if (err instanceof ValidationError)
        requests.inc({ source, trigger: claimedTrigger(req), outcome: 'invalid' });
      throw err;
    }
    let outcome;
    try {
      outcome = await requester.request(command);
    } catch (err) {
      requests.inc({ source, trigger: command.trigger, outcome: 'failed' });
      throw err;
    }
    requests.inc({ source, trigger: command.trigger, outcome: outcome.coalesced ? 'coalesced' : 'accepted' });
    await recordAudit(pool, {
      actor: principal.username,
      credential: principal.credential,
      action: 'sync.request',
      target: source,
      outcome: outcome.coalesced ? 'coalesced' : 'ok',
      details: { syncId: outcome.syncId, mode: command.mode, force: command.force, trigger: command.trigger },
    });
    logger.info(
      'admin.sync_requested',
      outcome.coalesced
        ? `${source} sync requested by ${principal.username}: coalesced with ${outcome.status} ${outcome.syncId}`
        : `${command.mode} sync of ${source} requested (${command.trigger} by ${command.requestedBy}): ${command.syncId}`,
      {
        syncId: outcome.syncId,
        source,
        mode: command.mode,
        entities: command.entities,
        window: command.window,
        trigger: command.trigger,
        force: command.force,
        coalesced: outcome.coalesced,
      },
    );
    const body = outcome.coalesced
      ? { syncId: outcome.syncId, status: outcome.status, source, coalesced: true }
      : {
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
          coalesced: false,
        };
    res.status(202).location(`/api/admin/sync/runs/${outcome.syncId}`).json(body);
  }

  async function sourceStatus(source: Source): Promise<unknown> {
    const runs = await listRuns(pool, source, limit);
    return { source, runs: runs.map(withTotals) };
  }

  // The run route comes first: "runs" would otherwise be taken for a source.
  app.get('/api/admin/sync/runs/:syncId', readRuns, async (req, res) => {
    const run = await getRun(pool, String(req.params.syncId));
    if (!run) {
      throw new TributaryError(
        'NOT_FOUND',
        `no sync run ${req.params.syncId} (a run appears once an ingest service has started it)`,
        { details: { syncId: req.params.syncId } },
      );
    }
    res.json(withTotals(run));
  });

  mountCancelRoute(
    app,
    [requirePermission('sync:cancel'), rateLimitPerMinute('sync', options.rateLimitPerMinute)],
    { pool, publishCancel: options.publishCancel, logger },
  );

  app.post('/api/admin/sync/:source', ...mayRequest, async (req, res) => {
    await requestSync(req, res, sourceParam(req));
  });
  app.post('/api/admin/repcard/comprehensive-sync', ...mayRequest, async (req, res) => {
    await requestSync(req, res, 'repcard');
  });

  app.get('/api/admin/sync/:source', readRuns, async (req, res) => {
    res.json(await sourceStatus(sourceParam(req)));
  });
  app.get('/api/admin/repcard/comprehensive-sync', readRuns, async (_req, res) => {
    res.json(await sourceStatus('repcard'));
  });

  app.get('/api/admin/schedule', readRuns, (_req, res) => {
    res.json(options.schedule());
  });

  app.get('/api/admin/audit', requirePermission('audit:read'), async (_req, res) => {
    res.json({ entries: await listAudit(pool, 200) });
  });

  app.get('/api/kpis', requirePermission('kpis:read'), async (_req, res) => {
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

  app.use('/api/admin', auditRefusedSyncRequests(pool));
}

/** A sync request or cancel refused for its role (403) is audited too: who tried. Passes the error on. */
function auditRefusedSyncRequests(pool: Pool): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (req.method !== 'POST' || !hasErrorCode(err, 'FORBIDDEN')) return next(err);
    const principal = principalOf(res);
    const cancel = /^\/sync\/runs\/([^/]+)\/cancel$/.exec(req.path);
    const source = req.params.source ?? req.path.split('/').filter(Boolean).at(-1);
    recordAudit(pool, {
      actor: principal.username,
      credential: principal.credential,
      action: cancel ? 'sync.cancel' : 'sync.request',
      target: cancel
        ? cancel[1]
        : isSource(source)
          ? source
          : req.path.includes('/repcard/')
            ? 'repcard'
            : null,
      outcome: 'refused',
      details: { role: principal.role },
    }).then(
      () => next(err),
      () => next(err),
    );
  };
}
