/**
 * Environment of `npm run sim:curagenesis`. A bad value throws one ConfigError naming the variable
 * (main prints it on one line and exits 2).
 */
import { z } from 'zod';
import { ConfigError } from '@tributary/core';
import { loadConfig, type Env } from '@tributary/config';

function intVar(min: number, max: number, defaultValue: number) {
  const message = `must be an integer ${min}..${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .default(defaultValue);
}

export const simEnvSchema = z.object({
  SIM_CURAGENESIS_PORT: intVar(0, 65535, 4020),
  SIM_CURAGENESIS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  SIM_CURAGENESIS_SEED: intVar(0, 0xffff_ffff, 42),
  SIM_CURAGENESIS_PRACTICES: intVar(1, 10_000_000, 2_000),
  SIM_CURAGENESIS_ORDERS: intVar(0, 100_000_000, 20_000),
  SIM_CURAGENESIS_API_KEY: z.string().min(1).default('sim-curagenesis-key'),
  SIM_CURAGENESIS_AUTH_HEADER: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]+$/, { error: 'must be an HTTP header name' })
    .default('x-vendor-key'),
  SIM_CURAGENESIS_LATENCY_MS: intVar(0, 120_000, 0),
  /** The data set's "now" (default 2026-01-01T00:00:00Z): records are dated before it, changes after. */
  SIM_CURAGENESIS_NOW: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  SIM_CURAGENESIS_WEBHOOK_TARGET: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  CURAGENESIS_WEBHOOK_SECRET: z.string().min(1).optional(),
  SIM_CURAGENESIS_WEBHOOK_RATE: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { error: 'must be a positive number (events per second)' })
    .transform(Number)
    .pipe(z.number().positive({ error: 'must be a positive number (events per second)' }).max(10_000))
    .default(1),
  SIM_CURAGENESIS_WEBHOOK_SCHEME: z.enum(['hmac', 'standard', 'both']).default('both'),
});

export type SimConfig = z.output<typeof simEnvSchema>;

export function loadSimConfig(env: Env = process.env): SimConfig {
  const config = loadConfig(simEnvSchema, env);
  if (
    config.SIM_CURAGENESIS_WEBHOOK_TARGET !== undefined &&
    config.CURAGENESIS_WEBHOOK_SECRET === undefined
  ) {
    throw new ConfigError(
      'CURAGENESIS_WEBHOOK_SECRET',
      'is required when SIM_CURAGENESIS_WEBHOOK_TARGET is set',
    );
  }
  return config;
}
