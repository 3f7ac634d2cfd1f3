import { join } from 'node:path';
import type { Env } from './load-config';
import { findRepoRoot, loadStackEnv } from './stack-env';

/** The operator's own settings (API keys, ports, LOG_LEVEL): `<repo root>/.env`, never committed. */
export function defaultDotEnvFile(): string {
  return join(findRepoRoot(), '.env');
}

/**
 * Reads `.env` (`KEY=VALUE` lines, parsed as the stack env file is: comments, `export`, quotes) into
 * `env`, only for keys not already set: the real environment wins over `.env`, and `.env` over the
 * stack launcher's addresses (read later, also only for unset keys). A missing file is not an error.
 * Returns the keys it set (names only: callers may say which, never the values).
 */
export function loadDotEnv(file: string = defaultDotEnvFile(), env: Env = process.env): string[] {
  return loadStackEnv(file, env);
}
