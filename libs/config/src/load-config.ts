import { ConfigError } from '@tributary/core';
import type { z } from 'zod';

export type Env = Record<string, string | undefined>;

const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN/i;
const MAX_SHOWN_LENGTH = 120;

/**
 * Parses the environment with a zod object schema whose keys are the variable names
 * (`z.object({ ...kafkaEnv, ...databaseEnv, PORT: portVar('PORT', 8080) })`).
 *
 * An empty value (`FOO=`) counts as not set, so defaults apply. On failure it throws one `ConfigError`
 * whose message names every variable at fault, what is wrong and what was given, e.g.
 * `KAFKA_BROKERS: must be a comma-separated list of host:port (given "localhost")`. Values of variables
 * whose name contains KEY, SECRET, PASSWORD or TOKEN are never shown, nor are passwords inside URLs.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  const input: Env = {};
  for (const name of Object.keys(schema.shape)) {
    const value = env[name];
    input[name] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;

  const problems: { variable: string; text: string }[] = [];
  for (const issue of result.error.issues) {
    const variable = typeof issue.path[0] === 'string' ? issue.path[0] : 'environment';
    if (problems.some((p) => p.variable === variable)) continue; // the first problem per variable is enough
    const given = input[variable];
    const text =
      given === undefined && variable !== 'environment'
        ? 'is required but not set'
        : `${issue.message} (given ${showValue(variable, given)})`;
    problems.push({ variable, text });
  }
  const [first, ...rest] = problems;
  if (!first) throw new ConfigError('environment', 'invalid configuration');
  const message = [first.text, ...rest.map((p) => `${p.variable}: ${p.text}`)].join('; ');
  throw new ConfigError(first.variable, message);
}

/** How a value is shown in an error message: quoted, shortened, secrets masked. */
export function showValue(variable: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (SECRET_NAME.test(variable)) return '"***"';
  const shown = redactUrlPassword(value);
  return JSON.stringify(shown.length > MAX_SHOWN_LENGTH ? `${shown.slice(0, MAX_SHOWN_LENGTH)}...` : shown);
}

function redactUrlPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/i, '$1:***@');
}
