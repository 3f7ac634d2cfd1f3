import { join } from 'node:path';
import type { Pool } from 'pg';
import { migrate } from '@tributary/db';
import type { Logger } from '@tributary/observability';

/** The accounts schema (users, tokens, sessions, audit log), recorded apart from other migration sets. */
export const ACCOUNTS_MIGRATIONS = join(__dirname, '..', 'migrations');
export const ACCOUNTS_MIGRATIONS_TABLE = 'accounts_migrations';

/** Applies the accounts migrations (advisory lock: the scheduler's replicas and the CLI apply each once). */
export async function migrateAccounts(pool: Pool, logger?: Logger): Promise<number[]> {
  return migrate(pool, ACCOUNTS_MIGRATIONS, { table: ACCOUNTS_MIGRATIONS_TABLE, logger });
}
