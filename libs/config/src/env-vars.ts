import { LOG_LEVELS } from '@tributary/observability';
import { z } from 'zod';

/**
 * Reusable pieces of service config schemas. The `*Env` objects are zod shapes to spread into a
 * service's `z.object({...})`; the `*Var` functions build one variable's schema. Environment values
 * are strings, so numbers and booleans are parsed from strings here, strictly (no "12abc", no "yes").
 */

/** An integer 1..65535 (a TCP port) parsed from a string, `defaultPort` when not set. */
export function portVar(name: string, defaultPort: number) {
  return integerFromString(1, 65535, `must be a TCP port, an integer 1..65535`)
    .default(defaultPort)
    .describe(`${name}: TCP port to listen on`);
}

/** A positive integer (>= 1) parsed from a string; required unless `defaultValue` is given. */
export function positiveIntVar(defaultValue?: number) {
  const schema = integerFromString(1, Number.MAX_SAFE_INTEGER, 'must be a positive integer');
  return defaultValue === undefined ? schema : schema.default(defaultValue);
}

/** An integer in [min, max] parsed from a string, with a default. */
export function intRangeVar(min: number, max: number, defaultValue: number) {
  return integerFromString(min, max, `must be an integer from ${min} to ${max}`).default(defaultValue);
}

/** A boolean written as true/false/1/0 (any case); required unless `defaultValue` is given. */
export function booleanVar(defaultValue?: boolean) {
  const schema = z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => ['true', 'false', '1', '0'].includes(s), { error: 'must be true, false, 1 or 0' })
    .transform((s) => s === 'true' || s === '1');
  return defaultValue === undefined ? schema : schema.default(defaultValue);
}

function integerFromString(min: number, max: number, message: string) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));
}

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

/** A comma-separated `host:port` list (spaces allowed around commas) parsed into `string[]`. */
export function hostPortListVar() {
  const message = 'must be a comma-separated list of host:port';
  return z.string().transform((raw, ctx) => {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const bad = items.find((item) => {
      const port = HOST_PORT.exec(item)?.[1];
      return port === undefined || Number(port) < 1 || Number(port) > 65535;
    });
    if (items.length === 0 || bad !== undefined) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: bad ? `${message} ("${bad}" is not)` : message,
      });
      return z.NEVER;
    }
    return items;
  });
}

/** Kafka: `KAFKA_BROKERS` (required, "host:port,host:port" -> string[]), `KAFKA_CLIENT_ID` (optional). */
export const kafkaEnv = {
  KAFKA_BROKERS: hostPortListVar(),
  KAFKA_CLIENT_ID: z.string().trim().min(1).optional(),
};

/** Confluent schema registry: `SCHEMA_REGISTRY_URL` (required, http or https URL). */
export const registryEnv = {
  SCHEMA_REGISTRY_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
};

/** PostgreSQL: `DATABASE_URL` (required, postgres:// or postgresql:// URL). */
export const databaseEnv = {
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: 'must be a postgres:// or postgresql:// URL',
  }),
};

/** HTTP: `PORT` (0..65535, `defaultPort` when not set; 0 binds a free port, logged at start). */
export function httpEnv(defaultPort: number) {
  return {
    PORT: integerFromString(0, 65535, 'must be a TCP port, an integer 0..65535 (0: any free port)')
      .default(defaultPort)
      .describe('PORT: TCP port to listen on'),
  };
}

/** Logging: `LOG_LEVEL` (debug | info | warn | error, default info). */
export const logEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
};
