import { z } from 'zod';
import { ConfigError } from '@tributary/core';
import { MAX_SIZE, type RepcardSimulatorOptions } from './options';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  SIM_REPCARD_PORT: int(0, 65_535).default(4010),
  SIM_REPCARD_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_REPCARD_SEED: int(Number.MIN_SAFE_INTEGER).default(42),
  SIM_REPCARD_SIZE: int(0, MAX_SIZE).default(5000),
  SIM_REPCARD_API_KEY: z.string().min(1).default('sim-repcard-key'),
  SIM_REPCARD_RATE_LIMIT: int(1).default(100),
  SIM_REPCARD_RATE_PERIOD_MS: int(1).default(60_000),
  SIM_REPCARD_LATENCY_MS: int(0).default(0),
  SIM_REPCARD_NOW: z.iso.datetime({ offset: true }).optional(),
});

export interface SimEnv {
  port: number;
  host: string;
  options: RepcardSimulatorOptions;
}

/** Reads the SIM_REPCARD_* variables (empty = unset); a bad value throws ConfigError naming it. */
export function readEnv(env: NodeJS.ProcessEnv): SimEnv {
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([k, v]) => k.startsWith('SIM_REPCARD_') && v !== undefined && v.trim() !== '',
    ),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'SIM_REPCARD_*');
    throw new ConfigError(
      variable,
      `${issue?.message ?? 'invalid'} (got ${JSON.stringify(present[variable])})`,
    );
  }
  const e = parsed.data;
  return {
    port: e.SIM_REPCARD_PORT,
    host: e.SIM_REPCARD_HOST,
    options: {
      seed: e.SIM_REPCARD_SEED,
      size: e.SIM_REPCARD_SIZE,
      apiKey: e.SIM_REPCARD_API_KEY,
      rateLimit: e.SIM_REPCARD_RATE_LIMIT,
      ratePeriodMs: e.SIM_REPCARD_RATE_PERIOD_MS,
      latencyMs: e.SIM_REPCARD_LATENCY_MS,
      ...(e.SIM_REPCARD_NOW ? { now: e.SIM_REPCARD_NOW } : {}),
    },
  };
}
