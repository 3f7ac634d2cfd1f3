import { z } from 'zod';
import { ConfigError } from '@tributary/core';
import { loadDotEnv, loadStackEnv, positiveIntVar } from '@tributary/config';
import type { Source } from '@tributary/contracts';
import { RateBudget, SourceClient, type DateField } from '@tributary/sync';
import { SIMULATORS } from '../../../run/src/services';
import { CliExit, EXIT } from '../exit-codes';

/** What the report needs to reach a source: the ingest's variables, read the same way. */
export interface SourceAccess {
  client: SourceClient;
  budget: RateBudget;
  limit: number;
  periodMs: number;
  /** The simulator of `npm start` stands in (no API key configured). */
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
 * The source client of `source` from the environment (`.env`, then `.stack/env`; set variables
 * win). Without an API key it is `npm start`'s simulator, as in demo mode. Its own rate budget at
 * the configured limit, lowered by `X-RateLimit-Remaining` when the ingest spends the same key.
 */
export function sourceAccess(source: Source, env: NodeJS.ProcessEnv = process.env): SourceAccess {
  loadDotEnv();
  loadStackEnv();
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliExit(EXIT.usage, `${String(issue.path[0])}: ${issue.message}`);
  }
  const c = parsed.data;
  const repcard = source === 'repcard';
  const key = repcard ? c.REPCARD_API_KEY : c.CURAGENESIS_API_KEY;
  const sim = SIMULATORS[source];
  const baseUrl =
    (repcard ? c.REPCARD_API_URL : c.CURAGENESIS_API_URL) ??
    (repcard ? `http://127.0.0.1:${sim.port}/api` : `http://127.0.0.1:${sim.port}`);
  const apiKey = key ?? sim.apiKey;
  const limit = repcard ? c.REPCARD_RATE_LIMIT : c.CURAGENESIS_RATE_LIMIT;
  const periodMs = repcard ? c.REPCARD_RATE_PERIOD_MS : c.CURAGENESIS_RATE_PERIOD_MS;
  const budget = new RateBudget({ limit, periodMs });
  const headers: Record<string, string> = repcard
    ? { 'x-api-key': apiKey, accept: 'application/json' }
    : { [c.CURAGENESIS_AUTH_HEADER]: apiKey, accept: 'application/json' };
  // As under `npm start`: the simulator standing in is demo mode, where http:// on loopback is allowed.
  if (key === undefined) env.TRIBUTARY_DEMO ??= '1';
  let client: SourceClient;
  try {
    client = new SourceClient({ source, baseUrl, headers, budget, maxAttempts: 5 });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliExit(EXIT.usage, err.message);
    throw err;
  }
  return {
    client,
    budget,
    limit,
    periodMs,
    demo: key === undefined,
    repcard: { historyStart: c.REPCARD_HISTORY_START, dateField: c.REPCARD_DATE_FILTER_FIELD },
    curagenesis: { pageSize: c.CURAGENESIS_PAGE_SIZE },
  };
}
