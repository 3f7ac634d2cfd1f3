import { z } from 'zod';
import { SOURCES } from '@tributary/contracts';

/** The answers of the dashboard's KPI routes (kpis-api.ts), for the OpenAPI document. */

const iso = z.string().describe('ISO 8601 time');

export const Geography = z.object({
  generatedAt: iso,
  states: z.array(
    z.object({
      state: z.string().describe('USPS code, OTHER (not a US state) or UNKNOWN (no state)'),
      name: z.string(),
      customers: z.number().describe('RepCard customers'),
      practices: z.number().describe('CuraGenesis practices'),
      activePractices: z.number(),
      orders: z.number(),
      revenue: z.number().describe('sum of order totals, USD'),
    }),
  ),
});

export const RepPerformance = z.object({
  generatedAt: iso,
  days: z.number(),
  since: iso,
  reps: z.array(
    z.object({
      repcardUserId: z.string(),
      name: z.string().nullable(),
      office: z.string().nullable(),
      appointmentsSet: z.number().describe('appointments created in the window with this rep as setter'),
      customers: z.number().describe('customers created in the window with this rep as setter'),
    }),
  ),
});

export const Freshness = z.object({
  generatedAt: iso,
  entities: z.array(
    z.object({
      source: z.enum(SOURCES),
      entity: z.string(),
      table: z.string().nullable(),
      rows: z.number().nullable(),
      newestRowAt: iso.nullable().describe('max(synced_at): when the projector last wrote a row'),
      lastSuccess: z
        .object({ syncId: z.string(), syncType: z.string().nullable(), completedAt: iso })
        .nullable(),
      latest: z.object({ syncId: z.string(), status: z.string(), startedAt: iso }).nullable(),
    }),
  ),
  dlq: z.object({
    waiting: z.number().nullable().describe('dead letters not replayed yet (null: Kafka not readable)'),
    total: z.number().nullable(),
    topics: z.array(z.object({ topic: z.string(), deadLetters: z.number(), replayed: z.number() })),
    trips: z.array(
      z.object({
        consumerGroup: z.string(),
        topic: z.string(),
        trippedAt: iso,
        reason: z.string(),
        message: z.string(),
      }),
    ),
    countedAt: iso.nullable(),
    error: z.string().nullable(),
  }),
});
