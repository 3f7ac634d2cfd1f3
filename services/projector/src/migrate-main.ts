import { z } from 'zod';
import { errorMessage } from '@tributary/core';
import { databaseEnv, loadConfigOrExit, logEnv } from '@tributary/config';
import { createPool } from '@tributary/db';
import { createLogger } from '@tributary/observability';
import { applyMigrationSets, MIGRATION_SETS } from './migration-sets';

/**
 * `npm run migrate` (image: `node dist/migrate/main.js`, the Helm chart's Job): applies every
 * migration set to DATABASE_URL under PostgreSQL advisory locks, then exits: 0 applied or up to
 * date, 1 a migration failed or the database did not answer, 78 bad configuration.
 */
const config = loadConfigOrExit('migrate', z.object({ ...databaseEnv, ...logEnv }));
const logger = createLogger('migrate', { level: config.LOG_LEVEL });
const pool = createPool(config.DATABASE_URL, { max: 1, applicationName: 'migrate', logger });

applyMigrationSets(pool, MIGRATION_SETS, logger)
  .catch((err: unknown) => {
    logger.error('service.start_failed', `migrations failed: ${errorMessage(err)}`, { error: err });
    process.exitCode = 1;
  })
  .finally(() => pool.end());
