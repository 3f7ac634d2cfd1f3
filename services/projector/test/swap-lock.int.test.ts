import type { Pool } from 'pg';
import { createPool } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { lockGivingWay } from '../src/rebuild/swap-tables';

/**
 * The rebuild's swap takes the live tables' locks giving way (100 ms attempts), then renames the
 * shadows: a shadow an autovacuum holds must make the rename wait, not fail with the attempts'
 * lock timeout (a 1M-row rebuild failed that way).
 */
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('swap_lock');
  pool = createPool(db.url, { max: 3 });
  await pool.query('CREATE TABLE live (id int PRIMARY KEY); CREATE TABLE live__rebuild (id int PRIMARY KEY)');
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

test('when the locks are held, then the caller’s lock_timeout is back and a later lock waits past 100 ms', async () => {
  const swap = await pool.connect();
  const vacuumLike = await pool.connect();
  try {
    // What an autovacuum of the shadow holds, for 600 ms.
    await vacuumLike.query('BEGIN');
    await vacuumLike.query('LOCK TABLE live__rebuild IN SHARE UPDATE EXCLUSIVE MODE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => void vacuumLike.query('COMMIT').then(() => resolve()), 600),
    );
    await swap.query('BEGIN');
    await swap.query(`SET LOCAL lock_timeout = '5s'`);
    await lockGivingWay(swap, ['live'], 'ACCESS EXCLUSIVE');
    expect((await swap.query<{ t: string }>(`SELECT current_setting('lock_timeout') AS t`)).rows[0]!.t).toBe(
      '5s',
    );
    const started = Date.now();
    await swap.query('ALTER TABLE live__rebuild RENAME TO live_new');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await swap.query('COMMIT');
    await released;
    const names = await pool.query<{ n: string }>(
      `SELECT relname AS n FROM pg_class WHERE relname IN ('live', 'live_new', 'live__rebuild') ORDER BY 1`,
    );
    expect(names.rows.map((r) => r.n)).toEqual(['live', 'live_new']);
  } finally {
    await swap.query('ROLLBACK').catch(() => undefined);
    swap.release();
    vacuumLike.release();
  }
});
