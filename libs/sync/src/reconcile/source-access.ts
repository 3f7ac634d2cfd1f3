import { z } from 'zod';
import { positiveIntVar } from '@tributary/config';
import type { Source } from '@tributary/contracts';
import { ConfigError } from '@tributary/core';
import { RateBudget } from '../rate-budget';
import { SourceClient } from '../source-client';
import type { DateField } from './targets';

/** What a completeness report needs to reach a source: the ingest's variables, read the same way. */
export interface SourceAccess {
  client: SourceClient;
  budget: RateBudget;
  limit: number;
  periodMs: number;
  /** No API key is configured: `fallback` (a simulator) stands in. */
  demo: boolean;
  repcard: { historyStart: string; dateField: DateField };
  curagenesis: { pageSize: number };
}

const schema = z.object({
  REPCARD_API_URL: z.url().optional(),
  REPCARD_API_KEY: z.string().trim().min(1).optional(),
  REPCARD_RATE_LIMIT: positiveIntVar(100),
  REPCARD_RATE_PERIOD_MS: positiveIntVar(60_000),
  REPCARD_HISTORY_START: z.iso.date().default('2015-01-01'),
  /** Which timestamp RepCard's date filters select on (not documented): `updated` or `created`. */
  REPCARD_DATE_FILTER_FIELD: z.enum(['updated', 'created']).default('updated'),
  CURAGENESIS_API_URL: z.url().optional(),
  CURAGENESIS_API_KEY: z.string().trim().min(1).optional(),
  CURAGENESIS_AUTH_HEADER: z.string().trim().min(1).default('x-vendor-key'),
  CURAGENESIS_PAGE_SIZE: positiveIntVar(200),
  CURAGENESIS_RATE_LIMIT: positiveIntVar(1200),
  CURAGENESIS_RATE_PERIOD_MS: positiveIntVar(60_000),
});

/**
 * The source client of `source` from `env`, with its own rate budget at the configured limit
 * (lowered by `X-RateLimit-Remaining` when an ingest spends the same key). Without an API key,
 * `fallback` (a simulator) stands in, or a ConfigError says what is missing.
 */
export function sourceAccessFromEnv(
  source: Source,
  env: NodeJS.ProcessEnv,
  fallback?: { baseUrl: string; apiKey: string },
): SourceAccess {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const c = parsed.data;
  const repcard = source === 'repcard';
  const prefix = repcard ? 'REPCARD' : 'CURAGENESIS';
  const key = repcard ? c.REPCARD_API_KEY : c.CURAGENESIS_API_KEY;
  const url = repcard ? c.REPCARD_API_URL : c.CURAGENESIS_API_URL;
  if (key === undefined && !fallback) throw new ConfigError(`${prefix}_API_KEY`, 'is not set');
  const baseUrl =
    key === undefined ? fallback!.baseUrl : (url ?? (repcard ? 'https://app.repcard.com/api' : ''));
  if (!baseUrl) throw new ConfigError(`${prefix}_API_URL`, 'is not set');
  const apiKey = key ?? fallback!.apiKey;
  const limit = repcard ? c.REPCARD_RATE_LIMIT : c.CURAGENESIS_RATE_LIMIT;
  const periodMs = repcard ? c.REPCARD_RATE_PERIOD_MS : c.CURAGENESIS_RATE_PERIOD_MS;
  const budget = new RateBudget({ limit, periodMs });
  const headers: Record<string, string> = repcard
    ? { 'x-api-key': apiKey, accept: 'application/json' }
    : { [c.CURAGENESIS_AUTH_HEADER]: apiKey, accept: 'application/json' };
  return {
    client: new SourceClient({ source, baseUrl, headers, budget, maxAttempts: 5, priority: 'reconcile' }),
    budget,
    limit,
    periodMs,
    demo: key === undefined,
    repcard: { historyStart: c.REPCARD_HISTORY_START, dateField: c.REPCARD_DATE_FILTER_FIELD },
    curagenesis: { pageSize: c.CURAGENESIS_PAGE_SIZE },
  };
}
