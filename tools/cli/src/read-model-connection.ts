import type { Pool } from 'pg';
import { loadStackEnv } from '@tributary/config';
import { createPool } from '@tributary/db';
import { CliExit, EXIT } from './exit-codes';

const ENV_HELP = 'run `npm run stack:up` first, or set DATABASE_URL';

/** Runs `fn` with a one-connection pool on the read models (DATABASE_URL, else `.stack/env`). */
export async function withReadModels<R>(fn: (pool: Pool) => Promise<R>): Promise<R> {
  loadStackEnv();
  const url = process.env.DATABASE_URL;
  if (!url) throw new CliExit(EXIT.usage, `the read models are not configured: ${ENV_HELP}`);
  const pool = createPool(url, { max: 1, applicationName: 'tributary-cli' });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}
