import { randomUUID } from 'node:crypto';
import type { Express, Request } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import {
  RecordObservedContract,
  SOURCES,
  entityTopic,
  type EntityOf,
  type Source,
} from '@tributary/contracts';
import { TributaryError, ValidationError } from '@tributary/core';
import type { OutgoingRecord } from '@tributary/kafka';
import { storedRowReader } from '@tributary/read-model';
import {
  driftRequests,
  expectedDurationMs,
  repairEvents,
  runDriftSample,
  type SourceAccess,
} from '@tributary/sync';
import { accessTo } from './reconcile-route';
import { requirePermission } from './security/guards';

const sample = z.string().regex(/^\d+$/, 'a whole number').transform(Number);

/** `?sample=N&entities=a,b&dryRun=true`. */
export const DriftQuery = z.strictObject({
  sample,
  entities: z.string().optional(),
  dryRun: z.enum(['true', 'false']).optional(),
});

/** `{ sample: N, entities?: [...] }`. */
export const RepairBody = z.strictObject({
  sample: z.number().int(),
  entities: z.array(z.string()).optional(),
});

export interface DriftRouteOptions {
  pool: Pool;
  /** Publishes the repair events (the scheduler's idempotent publisher). */
  publish(records: readonly OutgoingRecord[]): Promise<void>;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

function sourceOf(req: Request): Source {
  const source = String(req.params.source);
  if (!(SOURCES as readonly string[]).includes(source))
    throw new TributaryError('NOT_FOUND', `unknown source ${source}: one of ${SOURCES.join(', ')}`);
  return source as Source;
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String((issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path[0]) ?? 'query');
  throw new ValidationError(`${field}: ${issue?.message ?? 'invalid'}`, { details: { field } });
}

const entityList = (value: string | undefined): string[] | undefined =>
  value
    ?.split(',')
    .map((e) => e.trim())
    .filter(Boolean);

function cost(source: Source, options: { size: number; entities?: string[] }, access: SourceAccess) {
  const requests = driftRequests(source, options, access.curagenesis.pageSize);
  const budget = { limit: access.limit, periodMs: access.periodMs, available: access.budget.available() };
  return {
    requests,
    expectedSeconds: Math.ceil(expectedDurationMs(requests, budget, 150, 1) / 1000),
    budget: { limit: access.limit, periodMs: access.periodMs },
  };
}

/**
 * The drift report beside the completeness report (issue 13 item 3, ADR 0024), both operator:
 * - `GET /api/admin/reconcile/{source}/drift?sample=N`: N records of each entity read from the
 *   source and compared with the stored rows, `{ plan, drift }` (`dryRun=true`: the plan only);
 * - `POST /api/admin/reconcile/{source}/repair` `{ sample, entities? }`: the same, then the source's
 *   answer of every drifted record published as a repair event (the projector writes it even when
 *   older than the stored version), `{ plan, drift, repair: { published } }`. The projector applies
 *   them within seconds; the drift report says when.
 * 400 on bad options, 404 for an unknown source, 503 SOURCE_NOT_CONFIGURED.
 */
export function mountDriftRoutes(app: Express, options: DriftRouteOptions): void {
  const { pool } = options;
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const run = async (source: Source, size: number, entities: string[] | undefined, repair: boolean) => {
    const access = accessTo(source, env);
    try {
      const opts = { size, ...(entities ? { entities } : {}) };
      const plan = cost(source, opts, access);
      const { report, samples } = await runDriftSample(source, opts, {
        client: access.client,
        stored: storedRowReader(pool),
        now,
        historyStart: access.repcard.historyStart,
        pageSize: access.curagenesis.pageSize,
      });
      if (!repair) return { plan, drift: report };
      const events = repairEvents(source, report, samples, now(), randomUUID);
      await options.publish(
        events.map((e) => ({
          contract: RecordObservedContract(entityTopic(source, e.entity as EntityOf<Source>)),
          key: e.id,
          value: e,
        })),
      );
      return { plan, drift: report, repair: { published: events.length } };
    } finally {
      access.client.shutdown();
    }
  };

  app.get('/api/admin/reconcile/:source/drift', requirePermission('sync:request'), async (req, res) => {
    const source = sourceOf(req);
    const q = parsed(DriftQuery, req.query);
    const entities = entityList(q.entities);
    if (q.dryRun === 'true') {
      const access = accessTo(source, env);
      try {
        res.json({ plan: cost(source, { size: q.sample, ...(entities ? { entities } : {}) }, access) });
      } finally {
        access.client.shutdown();
      }
      return;
    }
    res.json(await run(source, q.sample, entities, false));
  });

  app.post('/api/admin/reconcile/:source/repair', requirePermission('sync:request'), async (req, res) => {
    const source = sourceOf(req);
    const body = parsed(RepairBody, req.body ?? {});
    res.json(await run(source, body.sample, body.entities, true));
  });
}
