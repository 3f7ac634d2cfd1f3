import type { Pool } from 'pg';
import { createPool } from '@tributary/db';
import { createMetrics, nullLogger } from '@tributary/observability';
import type { TestDatabase } from '@tributary/testkit';
import { registerFreshnessMetrics } from '../src/freshness-metrics';
import { dropDatabase, migratedDatabase } from './migrated-database';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  ({ db, pool } = await migratedDatabase());
});
afterAll(() => dropDatabase(db, pool));

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

async function scrape(now: () => number, maxAgeMs = 0): Promise<string> {
  const metrics = createMetrics('projector');
  registerFreshnessMetrics({
    pool,
    metrics,
    logger: nullLogger(),
    now,
    syncLogMaxAgeMs: maxAgeMs,
    tablesMaxAgeMs: maxAgeMs,
  });
  return metrics.registry.metrics();
}

describe('freshness metrics (computed on scrape from PostgreSQL)', () => {
  it('when entities completed, failed and are running, then the last successful sync is the latest completed one per source and entity', async () => {
    await pool.query(
      `INSERT INTO sync_log (sync_id, source, entity_type, status, completed_at) VALUES
         ('a', 'repcard', 'users', 'completed', '2026-03-01T10:00:00Z'),
         ('b', 'repcard', 'users', 'completed', '2026-03-01T11:00:00Z'),
         ('c', 'repcard', 'users', 'failed', '2026-03-01T11:30:00Z'),
         ('c', 'repcard', 'offices', 'running', NULL),
         ('d', 'curagenesis', 'orders', 'completed', '2026-03-01T09:00:00Z')`,
    );
    const text = await scrape(() => T0);
    const at = (iso: string) => String(Date.parse(iso) / 1000);
    expect(text).toContain(
      `tributary_last_successful_sync_timestamp_seconds{source="repcard",entity="users",service="projector"} ${at('2026-03-01T11:00:00Z')}`,
    );
    expect(text).toContain(
      `tributary_last_successful_sync_timestamp_seconds{source="curagenesis",entity="orders",service="projector"} ${at('2026-03-01T09:00:00Z')}`,
    );
    expect(text).not.toContain('entity="offices"');
  });

  it('when a read-model table has rows, then the newest row age is now - max(synced_at); an empty table has none', async () => {
    // Every table of the schema with a synced_at column is measured (the read models all have one).
    await pool.query(`CREATE TABLE freshness_probe (id int, synced_at timestamptz)`);
    await pool.query(
      `INSERT INTO freshness_probe VALUES (1, '2026-03-01T11:58:00Z'), (2, '2026-03-01T11:59:00Z')`,
    );
    const text = await scrape(() => T0);
    expect(text).toMatch(
      /tributary_newest_row_age_seconds\{table="freshness_probe",service="projector"\} 60\n/,
    );
    expect(text).not.toContain('table="repcard_users"');
  });

  it('when the database cannot answer, then the scrape still succeeds, without the gauges', async () => {
    const broken = createPool('postgres://nobody:wrong@127.0.0.1:1/none');
    const metrics = createMetrics('projector');
    registerFreshnessMetrics({ pool: broken, metrics, logger: nullLogger(), waitMs: 2_000 });
    const text = await metrics.registry.metrics();
    await broken.end();
    expect(text).toContain('# TYPE tributary_last_successful_sync_timestamp_seconds gauge');
    expect(text).not.toContain('tributary_last_successful_sync_timestamp_seconds{');
  });
});
