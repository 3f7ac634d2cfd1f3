import { z } from 'zod';
import { SOURCES } from '@tributary/contracts';

/** The answers of the drift routes (drift-route.ts), for the OpenAPI document. */
const DriftCost = z.object({
  requests: z.number().int().describe('source requests the sample costs at most'),
  expectedSeconds: z.number().int().describe('expected duration at the rate budget'),
  budget: z.object({ limit: z.number().int(), periodMs: z.number().int() }),
});

const DriftReport = z.object({
  source: z.enum(SOURCES),
  requests: z.number().int(),
  sampled: z.number().int(),
  entities: z.array(
    z.object({
      entity: z.string(),
      sampled: z.number().int(),
      same: z.number().int(),
      differs: z.number().int(),
      missing: z.number().int(),
      deleted: z.number().int(),
    }),
  ),
  drifted: z.array(
    z.object({
      entity: z.string(),
      id: z.string(),
      kind: z.enum(['differs', 'missing', 'deleted']),
      fields: z.array(z.string()),
      storedVersion: z.string().nullable(),
      sourceVersion: z.string().nullable(),
      olderAtSource: z.boolean().describe('the source answers an older version than the stored one'),
    }),
  ),
  differences: z.array(
    z.object({
      entity: z.string(),
      id: z.string(),
      field: z.string(),
      stored: z.unknown(),
      source: z.unknown(),
    }),
  ),
  verdict: z.enum(['clean', 'drift']),
});

export const DriftAnswer = z.object({
  plan: DriftCost,
  drift: DriftReport.optional().describe('absent with dryRun=true'),
});

export const RepairAnswer = z.object({
  plan: DriftCost,
  drift: DriftReport.describe('before the repair'),
  repair: z.object({ published: z.number().int().describe('repair events published to the entity topics') }),
});
