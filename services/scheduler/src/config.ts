import { z } from 'zod';
import {
  booleanVar,
  databaseEnv,
  demoModeEnv,
  httpEnv,
  intRangeVar,
  kafkaEnv,
  logEnv,
  registryEnv,
} from '@tributary/config';
import { SOURCES, type Source } from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
import { kafkaClusterEnv, refineKafkaCluster } from '@tributary/service';
import { parseCron } from './domain/cron';

/** A 5-field UTC cron expression parsed at start-up: a bad one names the variable and the field. */
function cronVar(defaultExpression: string) {
  return z
    .string()
    .default(defaultExpression)
    .transform((raw, ctx) => {
      try {
        return parseCron(raw);
      } catch (err) {
        ctx.issues.push({ code: 'custom', input: raw, message: errorMessage(err) });
        return z.NEVER;
      }
    });
}

/** A comma-separated list of sources ("repcard,curagenesis"), without repeats. */
function sourceListVar(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((raw, ctx) => {
      const items = [
        ...new Set(
          raw
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter((s) => s.length > 0),
        ),
      ];
      const bad = items.find((s) => !(SOURCES as readonly string[]).includes(s));
      if (bad !== undefined || items.length === 0) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `must be a comma-separated list of ${SOURCES.join(', ')}${bad !== undefined ? ` ("${bad}" is not one)` : ''}`,
        });
        return z.NEVER;
      }
      return items as Source[];
    });
}

const schedulerEnvSchema = z.object({
  ...kafkaEnv,
  ...kafkaClusterEnv,
  ...registryEnv,
  ...databaseEnv,
  ...httpEnv(3000),
  ...logEnv,
  /** Incremental syncs of every scheduled source (UTC): every 6 hours. */
  SCHEDULE_INCREMENTAL_CRON: cronVar('0 */6 * * *'),
  /** Full syncs of every scheduled source (UTC): daily at 02:00. In a minute both are due, the full one runs. */
  SCHEDULE_FULL_CRON: cronVar('0 2 * * *'),
  /** false: no scheduled syncs (the admin API, the dashboard and the CLI still request them). */
  SCHEDULE_ENABLED: booleanVar(true),
  /** The sources the schedule syncs. */
  SCHEDULE_SOURCES: sourceListVar('repcard,curagenesis'),
  /**
   * Leader election of the schedule between replicas (ADR 0019): the lease's length, seconds. The
   * leader renews it every third of it; a standby takes over at most 4/3 of it after the leader died.
   */
  SCHEDULE_LEADER_LEASE_SECONDS: intRangeVar(2, 300, 10),
  ...demoModeEnv,
  /** The first admin (ADR 0014): created at start-up when no user of this name exists. */
  ADMIN_USERNAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, {
      error: 'must be 1..64 letters, digits, dot, dash, underscore or @',
    })
    .default('admin'),
  /** The first admin's password. Required outside demo mode (at least 12 characters, not the demo one). */
  ADMIN_PASSWORD: z.string().min(12, { error: 'must be at least 12 characters' }).optional(),
  /**
   * Optional: an admin API token taken from the environment (automation, tests), stored hashed like
   * any token, for ADMIN_USERNAME; a new value replaces the previous one at the next start.
   */
  ADMIN_TOKEN: z.string().trim().min(12, { error: 'must be at least 12 characters' }).optional(),
  /**
   * The bearer secret of the external cron endpoint (`POST /api/cron/sync`). Unset: that endpoint
   * refuses every call. Outside demo mode at least 32 characters.
   */
  CRON_SECRET: z.string().trim().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** How long a dashboard session lasts, hours. */
  SESSION_TTL_HOURS: intRangeVar(1, 24 * 30, 12),
  /**
   * Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (`true`: the first hop), so the
   * session cookie is `Secure` and the rate limit sees the client's address.
   */
  TRUST_PROXY: booleanVar(false),
  /**
   * Host names (host or host:port) the dashboard and API answer to; other `Host` headers are refused
   * (DNS rebinding). Unset: in demo mode localhost, 127.0.0.1 and [::1] only; otherwise any.
   */
  ALLOWED_HOSTS: listVar(),
  /** Browser origins besides the service's own that may call the API (a proxy's public URL). */
  ALLOWED_ORIGINS: listVar(),
  /** Requests for syncs (and sign-ins) per client per minute before 429. */
  RATE_LIMIT_PER_MINUTE: intRangeVar(1, 100_000, 30),
  /**
   * A requested sync that no ingest has started within this many minutes no longer holds off new
   * requests of its source (coalescing).
   */
  SYNC_QUEUED_TIMEOUT_MINUTES: intRangeVar(1, 24 * 60, 30),
});

/** The public admin password of demo mode (`npm start`, compose's demo profile): refused outside it. */
export const DEMO_ADMIN_PASSWORD = 'tributary-demo-admin';

/**
 * Outside demo mode the scheduler refuses to start without its secrets: ADMIN_PASSWORD (the demo
 * one refused), a CRON_SECRET if set of at least 32 characters, and no demo value anywhere.
 * In demo mode ADMIN_PASSWORD defaults to the public demo password (`bootstrapPassword`).
 */
export const schedulerConfigSchema = schedulerEnvSchema
  .superRefine((c, ctx) => {
    if (c.TRIBUTARY_DEMO) return;
    const refuse = (variable: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [variable], message });
    if (c.ADMIN_PASSWORD === undefined) {
      refuse(
        'ADMIN_PASSWORD',
        "is required outside demo mode (the first admin's password; TRIBUTARY_DEMO=1 for a demo)",
      );
    } else if (c.ADMIN_PASSWORD === DEMO_ADMIN_PASSWORD) {
      refuse('ADMIN_PASSWORD', 'is the public demo password: refused outside demo mode');
    }
    if (c.CRON_SECRET !== undefined && c.CRON_SECRET.length < 32) {
      refuse('CRON_SECRET', 'must be at least 32 characters outside demo mode');
    }
  })
  .superRefine(refineKafkaCluster);
export type SchedulerConfig = z.output<typeof schedulerConfigSchema>;

/** The first admin's password: ADMIN_PASSWORD, or in demo mode the public demo password. */
export function bootstrapPassword(config: SchedulerConfig): string {
  return config.ADMIN_PASSWORD ?? DEMO_ADMIN_PASSWORD;
}

function listVar() {
  return z
    .string()
    .optional()
    .transform((raw) =>
      (raw ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s.length > 0),
    );
}
