import './isolated-namespace';
import type { Pool } from 'pg';
import { TOPICS } from '@tributary/contracts';
import { createKafka } from '@tributary/kafka';
import { uniqueName, type TestDatabase } from '@tributary/testkit';
import { FIXTURE, seedDashboardRows } from './dashboard-fixture';
import { readModelDatabase, startInProcess, userWithToken, type InProcessScheduler } from './harness';

/** The dashboard's KPI routes (kpis-api.ts) on the seeded read models, as a viewer. */
let db: TestDatabase;
let pool: Pool;
let api: InProcessScheduler;
let viewer: Record<string, string>;
const dlqTopic = `${TOPICS.repcardCustomers}.dlq`;

beforeAll(async () => {
  ({ db, pool } = await readModelDatabase());
  await seedDashboardRows(pool);
  // Two dead letters in this namespace's customers DLQ, one of them replayed (a marker names it).
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: uniqueName('kpis') });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: dlqTopic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const origin = { 'x-dlq-origin-topic': TOPICS.repcardCustomers, 'x-dlq-error-code': 'DECODE_FAILED' };
  await producer.send({
    topic: dlqTopic,
    messages: [
      { key: '1', value: 'bad', headers: origin },
      { key: '2', value: 'bad', headers: origin },
      {
        key: '1',
        value: null,
        headers: { 'x-dlq-replay-of': '0', 'x-dlq-replayed-at': new Date().toISOString() },
      },
    ],
  });
  await producer.disconnect();
  api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' });
  viewer = (await userWithToken(pool, 'viewer')).headers;
});

afterAll(async () => {
  await api?.stop();
  await pool?.end();
  await db?.drop();
});

async function get<T>(path: string, headers: Record<string, string> = viewer) {
  const res = await fetch(`${api.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as T };
}

interface Geography {
  states: { state: string; customers: number; practices: number; revenue: number }[];
}
interface Reps {
  days: number;
  reps: { repcardUserId: string; name: string | null; appointmentsSet: number; customers: number }[];
}
interface Freshness {
  entities: {
    source: string;
    entity: string;
    rows: number | null;
    newestRowAt: string | null;
    lastSuccess: { syncId: string } | null;
    latest: { status: string } | null;
  }[];
  dlq: { waiting: number | null; total: number | null; topics: { topic: string }[]; trips: unknown[] };
}

it('when a viewer asks the geography, then one row per state, ranked, summing both sources, no state last', async () => {
  const { status, body } = await get<Geography>('/api/kpis/geography');
  expect(status).toBe(200);
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM repcard_customers WHERE state = 'UT'`,
  );
  expect(body.states[0]).toMatchObject({ state: 'UT', customers: Number(rows[0]!.n) });
  expect(body.states.map((s) => s.state)).toContain('WA'); // "Washington" folded into its code
  expect(body.states.at(-1)!.state).toBe('UNKNOWN');
  const total = body.states.reduce((n, s) => n + s.customers, 0);
  expect(total).toBe(FIXTURE.customers);
  const ranks = body.states.slice(0, -1).map((s) => s.customers + s.practices);
  expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
});

it('when a viewer asks the rep ranking, then reps by appointments set in the last 30 days, older ones not counted', async () => {
  const { status, body } = await get<Reps>('/api/kpis/reps?days=30');
  expect(status).toBe(200);
  expect(body.days).toBe(30);
  expect(body.reps).toHaveLength(FIXTURE.reps);
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM repcard_appointments WHERE created_at >= now() - interval '30 days'`,
  );
  expect(body.reps.reduce((n, r) => n + r.appointmentsSet, 0)).toBe(Number(rows[0]!.n));
  expect(body.reps[0]!.name).toBe('Avery Christensen');
  const set = body.reps.map((r) => r.appointmentsSet);
  expect([...set].sort((a, b) => b - a)).toEqual(set);
});

it.each(['days=0', 'days=abc', 'limit=1000', 'other=1'])(
  'when the rep ranking is asked with %s, then 400 naming the parameter',
  async (query) => {
    const { status, body } = await get<{ error: { code: string; details: { field: string } } }>(
      `/api/kpis/reps?${query}`,
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.field).toBe(query.split('=')[0]);
  },
);

it('when a viewer asks the freshness, then every entity with its last success and rows, and the DLQ count', async () => {
  await pool.query(
    `INSERT INTO projector_dlq_trips (consumer_group, tripped_at, topic, partition, reason, breach, message)
     VALUES ('projector', now(), $1, 0, 'consecutive', '{}', 'ten dead letters in a row')`,
    [TOPICS.repcardCustomers],
  );
  const { status, body } = await get<Freshness>('/api/kpis/freshness');
  expect(status).toBe(200);
  expect(body.entities).toHaveLength(9);
  const customers = body.entities.find((e) => e.source === 'repcard' && e.entity === 'customers')!;
  expect(customers).toMatchObject({
    rows: FIXTURE.customers,
    lastSuccess: { syncId: 'sync-dashboard-repcard' },
    latest: { status: 'running' },
  });
  expect(customers.newestRowAt).not.toBeNull();
  expect(body.dlq).toMatchObject({ waiting: 1, total: 2, topics: [{ topic: dlqTopic }] });
  expect(body.dlq.trips).toHaveLength(1);
});

it('when no credential comes, then the KPI routes answer 401', async () => {
  for (const path of ['/api/kpis/geography', '/api/kpis/reps', '/api/kpis/freshness']) {
    expect((await get(path, {})).status).toBe(401);
  }
});
