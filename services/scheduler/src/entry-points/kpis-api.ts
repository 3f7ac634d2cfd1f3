import type { Express } from 'express';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { z } from 'zod';
import { ValidationError } from '@tributary/core';
import { createDlqCounter, type DlqCounter } from '../data-access/dlq-count';
import { freshness, geography, repPerformance } from '../data-access/kpis';
import { requirePermission } from './security/guards';

/** `?days=` of the rep ranking: 1 to 365, default 30. */
export const RepsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(30),
  limit: z.coerce.number().int().min(1).max(100).default(15),
});

export interface KpisApiOptions {
  pool: Pool;
  kafka: Kafka;
  /** Tests pass their own (a counter reading no Kafka). */
  dlq?: DlqCounter;
  now?: () => Date;
}

/**
 * The dashboard's KPI routes beyond `GET /api/kpis` (counts and totals, admin-api.ts), all viewer:
 *   GET /api/kpis/geography   customers and practices by US state, ranked
 *   GET /api/kpis/reps        RepCard reps ranked by appointments set, then customers (?days=30&limit=15)
 *   GET /api/kpis/freshness   per source and entity: last successful sync, rows, newest row; the DLQ count
 */
export function mountKpisApi(app: Express, options: KpisApiOptions): void {
  const { pool } = options;
  const now = options.now ?? (() => new Date());
  const dlq = options.dlq ?? createDlqCounter({ kafka: options.kafka, pool });
  const mayRead = requirePermission('kpis:read');

  app.get('/api/kpis/geography', mayRead, async (_req, res) => {
    res.json({ generatedAt: now().toISOString(), states: await geography(pool) });
  });

  app.get('/api/kpis/reps', mayRead, async (req, res) => {
    const parsed = RepsQuery.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(
        issue?.path[0] ?? (issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined) ?? 'query',
      );
      throw new ValidationError(`${field}: ${issue?.message ?? 'invalid'}`, {
        details: { field },
      });
    }
    const { days, limit } = parsed.data;
    const at = now();
    const since = new Date(at.getTime() - days * 86_400_000);
    res.json({
      generatedAt: at.toISOString(),
      days,
      since: since.toISOString(),
      reps: await repPerformance(pool, since, limit),
    });
  });

  app.get('/api/kpis/freshness', mayRead, async (_req, res) => {
    const [entities, dead] = await Promise.all([freshness(pool), dlq.summary()]);
    res.json({ generatedAt: now().toISOString(), entities, dlq: dead });
  });
}
