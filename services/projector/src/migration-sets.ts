import type { Pool } from 'pg';
import { ACCOUNTS_MIGRATIONS, ACCOUNTS_MIGRATIONS_TABLE } from '@tributary/auth';
import { migrate } from '@tributary/db';
import type { Logger } from '@tributary/observability';
import {
  SCHEDULER_MIGRATIONS,
  SCHEDULER_MIGRATIONS_TABLE,
} from '../../scheduler/src/data-access/sync-requests';
import {
  GATEWAY_MIGRATIONS,
  GATEWAY_MIGRATIONS_TABLE,
} from '../../webhook-gateway/src/data-access/pg-dedup-store';
import { MIGRATIONS_DIR } from './app';

/** One folder of `NNN_name.sql` files and the table that records which of them were applied. */
export interface MigrationSet {
  name: string;
  dir: string;
  table: string;
}

/**
 * Every migration set of the database, in the order the migration command applies them (each set
 * names its owner's constants, so a folder or table renamed there is renamed here). Each
 * service still applies its own set when it starts (under the same advisory lock, so a set the
 * command applied is found up to date); the command lets a deployment do it once, before the
 * services roll (the Helm chart's migration Job).
 */
export const MIGRATION_SETS: readonly MigrationSet[] = [
  { name: 'projector', dir: MIGRATIONS_DIR, table: 'schema_migrations' },
  { name: 'accounts', dir: ACCOUNTS_MIGRATIONS, table: ACCOUNTS_MIGRATIONS_TABLE },
  { name: 'scheduler', dir: SCHEDULER_MIGRATIONS, table: SCHEDULER_MIGRATIONS_TABLE },
  { name: 'webhook-gateway', dir: GATEWAY_MIGRATIONS, table: GATEWAY_MIGRATIONS_TABLE },
];

/** Applies each set in turn (each under its own advisory lock); returns the versions applied per set. */
export async function applyMigrationSets(
  pool: Pool,
  sets: readonly MigrationSet[],
  logger: Logger,
): Promise<Record<string, number[]>> {
  const applied: Record<string, number[]> = {};
  for (const set of sets) {
    applied[set.name] = await migrate(pool, set.dir, {
      table: set.table,
      logger: logger.child({ set: set.name }),
    });
  }
  return applied;
}
