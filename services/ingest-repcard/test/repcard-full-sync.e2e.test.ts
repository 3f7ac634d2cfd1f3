import { differences, syncLog, ENTITIES } from '../../../libs/testkit/src/repcard-compare';
import { runCli, startPipeline, syncIdOf, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

// A full sync of 100k records through the real pipeline: simulator → ingest-repcard → Kafka →
// projector → PostgreSQL, driven by the CLI as a user would.
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ seed: 101, size: 100_000, rateLimit: 100_000, ratePeriodMs: 60_000 });
});
afterAll(async () => {
  await p?.close();
});

it('when a full sync of 100k records runs, then every table equals the simulator record for record and the sync log counts agree', async () => {
  const res = await runCli(p, []);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(
    /entity\s+status\s+fetched\s+inserted\s+updated\s+unchanged\s+failed\s+duration/,
  );
  const syncId = syncIdOf(res.stdout);

  expect(await differences(p.pool, p.sim)).toEqual([]);

  const log = await syncLog(p.pool, syncId);
  for (const entity of ENTITIES) {
    const row = log.get(entity)!;
    const total = p.sim.dataset.count(entity);
    expect({
      entity,
      status: row.status,
      fetched: row.records_fetched,
      inserted: row.records_inserted,
      failed: row.records_failed,
    }).toEqual({
      entity,
      status: 'completed',
      fetched: total,
      inserted: total,
      failed: 0,
    });
  }
  const run = await p.pool.query('SELECT status FROM sync_runs WHERE sync_id = $1', [syncId]);
  expect(run.rows[0].status).toBe('completed');
});

it('when the seed document queries run on the read models, then they run as written and return linked rows', async () => {
  const queries = [
    `SELECT repcard_user_id, first_name || ' ' || last_name as name, email, office_name, role, status FROM repcard_users WHERE status = 1 ORDER BY last_name;`,
    `SELECT * FROM repcard_offices;`,
    `SELECT c.name as customer_name, ca.file_name, ca.attachment_type, ca.file_url, ca.created_at FROM repcard_customer_attachments ca JOIN repcard_customers c ON c.id = ca.customer_id ORDER BY ca.created_at DESC LIMIT 10;`,
    `SELECT c.name as customer_name, aa.file_name, aa.attachment_type, aa.file_url FROM repcard_appointment_attachments aa JOIN repcard_appointments a ON a.id = aa.appointment_id JOIN repcard_customers c ON c.id = aa.customer_id ORDER BY aa.created_at DESC LIMIT 10;`,
    `SELECT c.name, c.email, COUNT(ca.id) as attachment_count, MAX(ca.created_at) as latest_attachment FROM repcard_customers c LEFT JOIN repcard_customer_attachments ca ON ca.customer_id = c.id GROUP BY c.id, c.name, c.email HAVING COUNT(ca.id) > 0 ORDER BY attachment_count DESC;`,
    `SELECT c.name as customer_name, a.scheduled_at, a.disposition, COUNT(aa.id) as attachment_count FROM repcard_appointments a JOIN repcard_customers c ON c.id = a.customer_id LEFT JOIN repcard_appointment_attachments aa ON aa.appointment_id = a.id GROUP BY a.id, c.name, a.scheduled_at, a.disposition HAVING COUNT(aa.id) > 0 ORDER BY a.scheduled_at DESC;`,
    `SELECT entity_type, sync_type, started_at, completed_at, status, records_fetched, records_inserted, records_updated, records_failed FROM repcard_sync_log WHERE entity_type IN ('users', 'offices', 'customer_attachments', 'appointment_attachments') ORDER BY started_at DESC LIMIT 20;`,
    `SELECT entity_type, status, error_message, started_at, completed_at FROM repcard_sync_log WHERE status = 'failed' ORDER BY started_at DESC;`,
  ];
  const counts = [];
  for (const q of queries) counts.push((await p.pool.query(q)).rowCount);
  const activeUsers = p.sim.dataset.count('users');
  expect(counts[0]).toBeGreaterThan(0);
  expect(counts[0]).toBeLessThanOrEqual(activeUsers);
  expect(counts[1]).toBe(p.sim.dataset.count('offices'));
  expect(counts[2]).toBe(10);
  expect(counts[3]).toBe(10);
  expect(counts[4]).toBeGreaterThan(0);
  expect(counts[5]).toBeGreaterThan(0);
  expect(counts[6]).toBe(4);
  expect(counts[7]).toBe(0);
  // Every child is linked to its parent: no appointment of an existing customer is left unlinked.
  const unlinked = await p.pool.query(
    `SELECT count(*)::int AS n FROM repcard_appointments a JOIN repcard_customers c ON c.repcard_customer_id = a.repcard_customer_id WHERE a.customer_id IS DISTINCT FROM c.id`,
  );
  expect(unlinked.rows[0].n).toBe(0);
  const attachmentsWithoutCustomer = await p.pool.query(
    `SELECT count(*)::int AS n FROM repcard_appointment_attachments aa JOIN repcard_appointments a ON a.repcard_appointment_id = aa.repcard_appointment_id WHERE aa.customer_id IS DISTINCT FROM a.customer_id`,
  );
  expect(attachmentsWithoutCustomer.rows[0].n).toBe(0);
});
