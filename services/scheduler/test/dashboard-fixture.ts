import type { Pool, PoolClient } from 'pg';
import { CURAGENESIS_ENTITIES, REPCARD_ENTITIES } from '@tributary/contracts';

/**
 * Read-model rows for the dashboard's browser test and its screenshots: reps, customers and
 * appointments over the last 30 days (and older ones that must not count), practices and orders
 * in a dozen states with a revenue in the tens of millions (the figure that used to overflow its
 * card), completed syncs of every entity at various ages, and one running run (its Cancel button).
 */
export const FIXTURE = {
  reps: 12,
  customers: 900,
  appointments: 420,
  practices: 64,
  orders: 1500,
  /** The running run the Cancel button is on. */
  runningSyncId: 'sync-dashboard-running',
} as const;

const FIRST_NAMES = [
  'Avery',
  'Jordan',
  'Maya',
  'Eli',
  'Sofia',
  'Noah',
  'Priya',
  'Lucas',
  'Grace',
  'Mateo',
  'Hana',
  'Owen',
];
const LAST_NAMES = [
  'Christensen',
  'Nguyen',
  'Okafor',
  'Larsen',
  'Ramirez',
  'Whitaker',
  'Patel',
  'Young',
  'Fischer',
  'Alvarez',
  'Sato',
  'Brooks',
];
const OFFICES = ['Salt Lake North', 'Phoenix East', 'Dallas Metro', 'Tampa Bay'];
// Weighted: the first states get most rows, as real territories do. One row with no state.
const STATES = ['UT', 'AZ', 'TX', 'CA', 'FL', 'NV', 'CO', 'ID', 'Washington', 'GA', 'NC', 'HI', null];

/** Seeds the rows on one connection with a fixed random seed: the same figures on every run. */
export async function seedDashboardRows(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT setseed(0.42)');
    await seedRows(client);
  } finally {
    client.release();
  }
}

async function seedRows(pool: PoolClient): Promise<void> {
  const reps = FIRST_NAMES.map((first, i) => ({
    id: 5000 + i,
    first,
    last: LAST_NAMES[i]!,
    office: OFFICES[i % OFFICES.length]!,
  }));
  await pool.query(
    `INSERT INTO repcard_users (repcard_user_id, first_name, last_name, office_name, status, role, raw_data, version_at)
     SELECT u.id, u.first, u.last, u.office, 1, 'setter', '{}'::jsonb, now()
     FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, first text, last text, office text)`,
    [JSON.stringify(reps)],
  );
  // Customers: setter skewed towards the first reps (i*i mod), states weighted towards the first ones;
  // one in six created before the 30-day window.
  await pool.query(
    `INSERT INTO repcard_customers (repcard_customer_id, name, state, setter_user_id, created_at, updated_at, raw_data, version_at)
     SELECT 100000 + g, 'Customer ' || g,
            ($2::text[])[1 + floor(power(random(), 2) * array_length($2::text[], 1))::int],
            5000 + floor(power(random(), 1.7) * $3)::int,
            CASE WHEN g % 6 = 0 THEN now() - interval '45 days' ELSE now() - (random() * interval '29 days') END,
            now(), '{}'::jsonb, now()
     FROM generate_series(1, $1::int) AS g`,
    [FIXTURE.customers, STATES, FIXTURE.reps],
  );
  await pool.query(
    `INSERT INTO repcard_appointments (repcard_appointment_id, repcard_customer_id, setter_user_id, scheduled_at, created_at, raw_data, version_at)
     SELECT 200000 + g, 100000 + g, 5000 + floor(power(random(), 1.4) * $2)::int,
            now() + interval '2 days',
            CASE WHEN g % 7 = 0 THEN now() - interval '40 days' ELSE now() - (random() * interval '29 days') END,
            '{}'::jsonb, now()
     FROM generate_series(1, $1::int) AS g`,
    [FIXTURE.appointments, FIXTURE.reps],
  );
  await pool.query(
    `INSERT INTO curagenesis_practices (practice_id, state, sales_rep, activated_at, raw_data, version_at, last_source)
     SELECT 'prac-' || g, ($2::text[])[1 + floor(power(random(), 1.5) * (array_length($2::text[], 1) - 1))::int],
            'rep-' || (g % 5), CASE WHEN g % 4 = 0 THEN NULL ELSE now() - interval '90 days' END,
            '{}'::jsonb, now(), 'poll'
     FROM generate_series(1, $1::int) AS g`,
    [FIXTURE.practices, STATES],
  );
  // Orders worth about $8k each: some $12M in all, the figure the old page could not fit.
  await pool.query(
    `INSERT INTO curagenesis_orders (order_id, practice_id, total_amount, order_date, paid, invoice_total_due, raw_data, version_at, last_source)
     SELECT 'ord-' || g, 'prac-' || (1 + g % $2::int), round((4000 + random() * 8000)::numeric, 2),
            now() - (random() * interval '300 days'), g % 3 <> 0,
            CASE WHEN g % 3 = 0 THEN round((1000 + random() * 3000)::numeric, 2) ELSE 0 END,
            '{}'::jsonb, now(), 'poll'
     FROM generate_series(1, $1::int) AS g`,
    [FIXTURE.orders, FIXTURE.practices],
  );
  await seedRuns(pool);
}

/** A completed run per source some hours ago (entity rows at various ages), and one running run. */
async function seedRuns(pool: PoolClient): Promise<void> {
  const runs = [
    {
      id: 'sync-dashboard-repcard',
      source: 'repcard',
      hoursAgo: 3,
      entities: [...REPCARD_ENTITIES],
    },
    { id: 'sync-dashboard-cura', source: 'curagenesis', hoursAgo: 30, entities: [...CURAGENESIS_ENTITIES] },
  ];
  for (const r of runs) {
    await pool.query(
      `INSERT INTO sync_runs (sync_id, source, sync_type, trigger, requested_by, entities, status, started_at, ingest_completed_at, completed_at)
       VALUES ($1, $2, 'full', 'scheduled', 'cron', $3, 'completed', now() - make_interval(hours => $4) - interval '5 minutes',
               now() - make_interval(hours => $4), now() - make_interval(hours => $4))`,
      [r.id, r.source, r.entities, r.hoursAgo],
    );
    await pool.query(
      `INSERT INTO sync_log (sync_id, source, entity_type, sync_type, started_at, completed_at, status, records_fetched, records_inserted, records_seen)
       SELECT $1, $2, e, 'full', now() - make_interval(hours => $4) - interval '5 minutes', now() - make_interval(hours => $4),
              'completed', 100, 100, 100
       FROM unnest($3::text[]) AS e`,
      [r.id, r.source, r.entities, r.hoursAgo],
    );
  }
  await pool.query(
    `INSERT INTO sync_runs (sync_id, source, sync_type, trigger, requested_by, entities, status, started_at)
     VALUES ($1, 'repcard', 'incremental', 'manual', 'admin', '{customers}', 'running', now() - interval '40 seconds')`,
    [FIXTURE.runningSyncId],
  );
  await pool.query(
    `INSERT INTO sync_log (sync_id, source, entity_type, sync_type, started_at, status, records_fetched, records_seen, pages, total_pages)
     VALUES ($1, 'repcard', 'customers', 'incremental', now() - interval '40 seconds', 'running', 250, 120, 3, 5)`,
    [FIXTURE.runningSyncId],
  );
}
