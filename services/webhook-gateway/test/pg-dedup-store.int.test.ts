import type { Pool } from 'pg';
import { createPool } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { createPgDedupStore, migrateGateway } from '../src/data-access/pg-dedup-store';

/** The dedup store against PostgreSQL, on a pool like the gateway's (named statements, generic plans). */
describe('PostgreSQL dedup store', () => {
  let db: TestDatabase;
  let pool: Pool;
  const store = (owner = 'gw-1') =>
    createPgDedupStore({ pool, owner, windowMs: 60_000, claimTimeoutMs: 30_000 });

  beforeEach(async () => {
    db = await createTestDatabase('dedup');
    // One connection, as in one of the gateway's: its named statements are planned once, on it.
    pool = createPool(db.url, { max: 1, genericPlans: true });
    await migrateGateway(pool);
  });
  afterEach(async () => {
    await pool.end();
    await db.drop();
  });

  it('when a delivery is claimed, then a second claim waits (pending), and once accepted it is a duplicate', async () => {
    const a = store('gw-1');
    const b = store('gw-2');
    expect(await a.claim('d-1')).toBe('claimed');
    expect(await b.claim('d-1')).toBe('pending');
    await a.accepted('d-1');
    expect(await b.claim('d-1')).toBe('accepted');
  });

  it('when a claim is released, then the next attempt claims the delivery', async () => {
    const a = store();
    expect(await a.claim('d-2')).toBe('claimed');
    await a.release('d-2');
    expect(await store('gw-2').claim('d-2')).toBe('claimed');
  });

  it('when the claim was first planned on an empty table, then it still probes the primary key once the table holds rows', async () => {
    const a = store();
    // The first claim makes the statement's generic plan, on an empty table.
    expect(await a.claim('first')).toBe('claimed');
    await pool.query(
      `INSERT INTO webhook_dedup (delivery_id, state, claimed_by) SELECT 'd-' || g, 'accepted', 'gw-1' FROM generate_series(1, 20000) g`,
    );
    const plan = (
      await pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN EXECUTE "webhook-dedup-claim"(ARRAY['d-5', 'new'], 'gw-1', 60000, 30000)`,
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('Index Scan using webhook_dedup_pkey');
    expect(plan).not.toMatch(/Seq Scan on webhook_dedup/);
    // And the answers are still right: an id accepted within the window is a duplicate.
    expect(await Promise.all([a.claim('d-5'), a.claim('new')])).toEqual(['accepted', 'claimed']);
  });
});
