import { ConfigError } from '@tributary/core';
import type { z } from 'zod';
import { loadConfig, type Env } from './load-config';
import { loadStackEnv } from './stack-env';

/** sysexits.h EX_CONFIG: the process refused to start because of its configuration. */
export const EX_CONFIG = 78;

export interface LoadConfigOrExitOptions {
  env?: Env;
  /** The stack launcher's env file; defaults to `<repo root>/.stack/env`. */
  stackEnvFile?: string;
  /** For tests. */
  exit?: (code: number) => never;
  stderr?: { write(chunk: string): unknown };
}

/**
 * For a service's `main.ts`: fills unset variables from the stack launcher's env file, parses the
 * config, and on bad config prints one line `<service>: configuration error: <message>` to stderr
 * and exits 78, so a misconfigured service refuses to start with a clear message.
 */
export function loadConfigOrExit<S extends z.ZodObject>(
  service: string,
  schema: S,
  options: LoadConfigOrExitOptions = {},
): z.output<S> {
  const env = options.env ?? process.env;
  try {
    loadStackEnv(options.stackEnvFile, env);
    return loadConfig(schema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    (options.stderr ?? process.stderr).write(`${service}: configuration error: ${err.message}\n`);
    return (options.exit ?? process.exit)(EX_CONFIG);
  }
}
