import { createHttpService } from '@tributary/http';
import { loadConfig } from '@tributary/config';
import { createPool, migrate } from '@tributary/db';
import { createMetrics, nullLogger } from '@tributary/observability';
import { createTestDatabase } from '@tributary/testkit';
import { startScheduler } from './src/app';
import { schedulerConfigSchema } from './src/config';

async function main() {
  const db = await createTestDatabase('demo');
  const pool = createPool(db.url);
  await migrate(pool, 'services/projector/migrations');
  await pool.query(`INSERT INTO repcard_users (repcard_user_id, raw_data, version_at) SELECT g, '{}', now() FROM generate_series(1, 42) g`);
  await pool.query(`INSERT INTO repcard_offices (repcard_office_id, raw_data, version_at) SELECT g, '{}', now() FROM generate_series(1, 5) g`);
  await pool.query(`INSERT INTO repcard_customers (repcard_customer_id, raw_data, version_at) SELECT g, '{}', now() FROM generate_series(1, 1834) g`);
  await pool.query(`INSERT INTO sync_runs (sync_id, source, sync_type, trigger, entities, status, started_at, completed_at) VALUES
    ('7c1a0a52-0000-4000-8000-000000000001', 'repcard', 'full', 'schedule', '{users,offices,customers,appointments,status_logs,customer_attachments,appointment_attachments}', 'completed_with_errors', now() - interval '3 hours', now() - interval '2 hours 51 minutes'),
    ('7c1a0a52-0000-4000-8000-000000000002', 'repcard', 'incremental', 'manual', '{users,offices,customers,appointments}', 'running', now() - interval '40 seconds', NULL),
    ('7c1a0a52-0000-4000-8000-000000000003', 'curagenesis', 'skipped', NULL, '{}', 'skipped', now() - interval '20 minutes', now() - interval '20 minutes')`);
  await pool.query(`UPDATE sync_runs SET error_message = 'a sync ran 12 minutes ago; the minimum interval is 60 minutes (use force)' WHERE source = 'curagenesis'`);
  await pool.query(`INSERT INTO sync_log (sync_id, source, entity_type, sync_type, status, records_fetched, records_inserted, records_updated, records_unchanged, records_failed, pages, total_pages, error_message) VALUES
    ('7c1a0a52-0000-4000-8000-000000000001', 'repcard', 'users', 'full', 'completed', 42, 40, 2, 0, 0, 1, 1, NULL),
    ('7c1a0a52-0000-4000-8000-000000000001', 'repcard', 'offices', 'full', 'completed', 5, 5, 0, 0, 0, 1, 1, NULL),
    ('7c1a0a52-0000-4000-8000-000000000001', 'repcard', 'customers', 'full', 'completed', 1834, 1800, 30, 2, 2, 19, 19, NULL),
    ('7c1a0a52-0000-4000-8000-000000000001', 'repcard', 'appointments', 'full', 'failed', 0, 0, 0, 0, 0, 0, NULL, 'RepCard answered HTTP 500 on GET /appointments?page=3 (after 5 retries)'),
    ('7c1a0a52-0000-4000-8000-000000000002', 'repcard', 'users', 'incremental', 'completed', 3, 0, 3, 0, 0, 1, 1, NULL),
    ('7c1a0a52-0000-4000-8000-000000000002', 'repcard', 'customers', 'incremental', 'running', NULL, 120, 14, 0, 0, 2, 5, NULL)`);
  const config = loadConfig(schedulerConfigSchema, { ...process.env, DATABASE_URL: db.url });
  const metrics = createMetrics('scheduler');
  const running = await startScheduler({ config, logger: nullLogger(), metrics });
  const http = createHttpService({ service: 'scheduler', logger: nullLogger(), metrics, readiness: running.readiness, configure: running.configure });
  const port = await http.start(0, '127.0.0.1');
  console.log(`PORT ${port}`);
  const stop = async () => {
    await http.stop();
    await running.stop();
    await pool.end();
    await db.drop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  setTimeout(() => void stop(), 600_000);
}
void main();
