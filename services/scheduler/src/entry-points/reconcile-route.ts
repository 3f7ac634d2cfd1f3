import type { Express } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { SOURCES, type Source } from '@tributary/contracts';
import { ConfigError, TributaryError, ValidationError } from '@tributary/core';
import { readModelCounter } from '@tributary/read-model';
import {
  expectedDurationMs,
  planReport,
  runReconcile,
  sourceAccessFromEnv,
  type SourceAccess,
} from '@tributary/sync';
import { requirePermission } from './security/guards';

/** `?by=month|day&since=YYYY-MM[-DD]&entities=a,b&dryRun=true`. */
export const ReconcileQuery = z.strictObject({
  by: z.string().optional(),
  since: z.string().optional(),
  entities: z.string().optional(),
  dryRun: z.enum(['true', 'false']).optional(),
});

export interface ReconcileRouteOptions {
  pool: Pool;
  /** Where the source API settings are read (the ingest's variables); tests pass their own. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

const CONCURRENCY = 4;

/**
 * `GET /api/admin/reconcile/:source` (operator: it spends source API requests): the completeness
 * report of `tributary reconcile` as JSON, `{ plan, report }`; with `dryRun=true` only the plan
 * (requests and expected duration at the rate budget), nothing asked of the source. 400 on bad
 * options, 404 for an unknown source, 503 SOURCE_NOT_CONFIGURED without the source's API settings.
 * The backfill of a gap is an ordinary `POST /api/admin/sync/{source}` with `startDate`/`endDate`.
 */
export function mountReconcileRoute(app: Express, options: ReconcileRouteOptions): void {
  const { pool } = options;
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  app.get('/api/admin/reconcile/:source', requirePermission('sync:request'), async (req, res) => {
    const source = String(req.params.source);
    if (!(SOURCES as readonly string[]).includes(source))
      throw new TributaryError('NOT_FOUND', `unknown source ${source}: one of ${SOURCES.join(', ')}`);
    const parsed = ReconcileQuery.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String((issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path[0]) ?? 'query');
      throw new ValidationError(`${field}: ${issue?.message ?? 'invalid'}`, { details: { field } });
    }
    const q = parsed.data;
    const access = accessTo(source as Source, env);
    try {
      const readModel = readModelCounter(pool);
      const plan = await planReport(
        source as Source,
        {
          by: q.by,
          since: q.since,
          entities: q.entities
            ?.split(',')
            .map((e) => e.trim())
            .filter(Boolean),
        },
        { access, readModel, now: now() },
      );
      const budget = { limit: access.limit, periodMs: access.periodMs, available: access.budget.available() };
      const durationMs = expectedDurationMs(plan.requests, budget, 150, CONCURRENCY);
      const cost = {
        requests: plan.requests,
        estimated: plan.estimated,
        expectedSeconds: Math.ceil(durationMs / 1000),
        budget: { limit: access.limit, periodMs: access.periodMs },
      };
      if (q.dryRun === 'true') {
        res.json({ plan: { ...cost, by: plan.by, since: plan.since, checks: plan.checks.length } });
        return;
      }
      const report = await runReconcile(plan, {
        client: access.client,
        readModel,
        now,
        concurrency: CONCURRENCY,
        pageSize: access.curagenesis.pageSize,
      });
      res.json({ plan: cost, report });
    } finally {
      access.client.shutdown();
    }
  });
}

/** The source client of `source`, or 503 SOURCE_NOT_CONFIGURED without its API settings. */
export function accessTo(source: Source, env: NodeJS.ProcessEnv): SourceAccess {
  try {
    return sourceAccessFromEnv(source, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new TributaryError('SOURCE_NOT_CONFIGURED', `${source}: ${err.message}`, {
      details: { status: 503, variable: err.variable },
    });
  }
}
