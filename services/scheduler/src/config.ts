import { z } from 'zod';
import { booleanVar, databaseEnv, httpEnv, kafkaEnv, logEnv, registryEnv } from '@tributary/config';
import { SOURCES, type Source } from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
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

export const schedulerConfigSchema = z.object({
  ...kafkaEnv,
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
   * When set, the admin API's POST routes (and the dashboard's Sync Now) require
   * `Authorization: Bearer <ADMIN_TOKEN>`. Unset: anyone who reaches the port may request syncs.
   */
  ADMIN_TOKEN: z.string().trim().min(12, { error: 'must be at least 12 characters' }).optional(),
});
export type SchedulerConfig = z.output<typeof schedulerConfigSchema>;
