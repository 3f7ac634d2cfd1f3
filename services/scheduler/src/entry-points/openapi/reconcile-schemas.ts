import { z } from 'zod';
import { SOURCES } from '@tributary/contracts';

/** The answers of `GET /api/admin/reconcile/{source}` (reconcile-route.ts), for the OpenAPI document. */
const ReconcileCost = z.object({
  requests: z.number().int().describe('source requests the report costs'),
  estimated: z
    .boolean()
    .describe('true when the count is an estimate (CuraGenesis: pages of the practices walk)'),
  expectedSeconds: z.number().int().describe('expected duration at the rate budget'),
  budget: z.object({ limit: z.number().int(), periodMs: z.number().int() }),
});

const ReconcileRow = z.object({
  entity: z.string(),
  window: z.string().describe('`all`, or the window: `2026-03` (month) or `2026-03-14` (day)'),
  from: z.string().nullable(),
  to: z.string().nullable().describe('exclusive'),
  source: z.number().int().nullable().describe("the source's count (null: the source gives none)"),
  readModel: z.number().int().describe('live rows in the read model'),
  verdict: z.enum(['complete', 'gap', 'unknown']),
  missing: z.number().int(),
  note: z.string().nullable(),
});

export const ReconcileAnswer = z.object({
  plan: ReconcileCost.extend({
    by: z.enum(['day', 'month']).optional(),
    since: z.string().optional(),
    checks: z.number().int().optional().describe('dryRun only: rows the report would have'),
  }),
  report: z
    .object({
      source: z.enum(SOURCES),
      by: z.enum(['day', 'month']),
      since: z.string(),
      checkedAt: z.string(),
      requests: z.number().int(),
      verdict: z.enum(['complete', 'gap']),
      rows: z.array(ReconcileRow),
    })
    .optional()
    .describe('absent with dryRun=true'),
});
