import type { Pool } from 'pg';
import { join } from 'node:path';
import { createPool, migrate } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';

/** The projector's migrations folder. */
export const PROJECTOR_MIGRATIONS = join(__dirname, '..', 'migrations');

/** A fresh database of its own with the projector's migrations applied, and a pool on it. */
export async function migratedDatabase(): Promise<{ db: TestDatabase; pool: Pool }> {
  const db = await createTestDatabase('projector');
  const pool = createPool(db.url);
  await migrate(pool, PROJECTOR_MIGRATIONS);
  return { db, pool };
}

/** Ends the pool and drops the database (both may be unset when set-up failed). */
export async function dropDatabase(db: TestDatabase | undefined, pool: Pool | undefined): Promise<void> {
  await pool?.end();
  await db?.drop();
}
