import './isolated-namespace';
import type { Pool } from 'pg';
import { waitFor, type TestDatabase } from '@tributary/testkit';
import type { RunStatus, RunTotals } from '@tributary/read-model';
import {
  adminAuth,
  clockFrom,
  collectCommands,
  expireQueued,
  openEvents,
  readModelDatabase,
  startInProcess,
  type InProcessScheduler,
} from './harness';

/** The JSON replies these tests read (each reply has only some of these fields). */
interface Reply {
  syncId: string;
  status: string;
  source: string;
  runs: (RunStatus & { totals: RunTotals })[];
  totals: RunTotals;
  tables: Record<string, number>;
  bySource: Record<string, Record<string, number>>;
  lastCompletedSync: Record<string, { syncId: string; status: string } | null>;
  curagenesis: { totalOrders: number; activePractices: number } | null;
  checks: Record<string, string>;
  error: { code: string; message: string; details: { field?: string } };
}

// The harness starts every scheduler with ADMIN_TOKEN (the admin's API token) and ADMIN_USERNAME admin-api.
const auth = adminAuth;

let db: TestDatabase;
let pool: Pool;
let api: InProcessScheduler;
let kafka: Awaited<ReturnType<typeof collectCommands>>;

beforeAll(async () => {
  ({ db, pool } = await readModelDatabase());
  api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' }, { heartbeatMs: 200 });
  kafka = await collectCommands();
});

afterAll(async () => {
  await api?.stop();
  await kafka?.stop();
  await pool?.end();
  await db?.drop();
});

async function post(path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: {
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(init.headers ?? auth),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Reply };
}

async function get(path: string) {
  const res = await fetch(`${api.url}${path}`, { headers: auth });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return {
    status: res.status,
    type,
    text,
    body: (type.includes('json') ? JSON.parse(text) : {}) as Reply,
  };
}

const published = (syncId: string) =>
  waitFor(() => kafka.commands.find((c) => c.syncId === syncId), {
    timeoutMs: 30_000,
    description: `command ${syncId} on Kafka`,
  });

describe('admin API: requesting syncs', () => {
  it('when an incremental RepCard sync skipping users is posted, then 202 comes after Kafka holds the command', async () => {
    const res = await post('/api/admin/sync/repcard', { body: { incremental: true, skipUsers: true } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'requested',
      source: 'repcard',
      mode: 'incremental',
      trigger: 'api',
    });
    expect(res.headers.get('location')).toBe(`/api/admin/sync/runs/${res.body.syncId}`);
    const command = await published(res.body.syncId);
    expect(command).toMatchObject({
      source: 'repcard',
      mode: 'incremental',
      trigger: 'api',
      requestedBy: 'admin-api',
      force: false,
    });
    expect(command.entities).toEqual([
      'offices',
      'customers',
      'appointments',
      'status_logs',
      'customer_attachments',
      'appointment_attachments',
    ]);
    expect(command.window).toEqual({ from: null, to: null });
    await expireQueued(pool, command.syncId); // so the next RepCard request is not coalesced with it
  });

  it('when the dashboard posts a forced CuraGenesis sync as JSON, then the command is manual and forced', async () => {
    const res = await post('/api/admin/sync/curagenesis', {
      body: { trigger: 'manual', force: true, incremental: false },
    });
    expect(res.status).toBe(202);
    const command = await published(res.body.syncId);
    expect(command).toMatchObject({
      source: 'curagenesis',
      mode: 'full',
      trigger: 'manual',
      requestedBy: 'admin-api', // the credential's user, never the body
      force: true,
    });
  });

  it('when the old comprehensive-sync path is posted with a date window, then it requests a RepCard sync of that window', async () => {
    const res = await post('/api/admin/repcard/comprehensive-sync', {
      body: {
        startDate: '2025-01-01',
        endDate: '2025-12-31',
        skipCustomerAttachments: true,
        skipAppointmentAttachments: true,
      },
    });
    expect(res.status).toBe(202);
    const command = await published(res.body.syncId);
    expect(command).toMatchObject({
      source: 'repcard',
      mode: 'full',
      window: { from: '2025-01-01', to: '2025-12-31' },
    });
    expect(command.entities).toEqual(['users', 'offices', 'customers', 'appointments', 'status_logs']);
  });

  it('when a date is not a date, then 400 names startDate and nothing is published', async () => {
    const before = kafka.commands.length;
    const res = await post('/api/admin/sync/repcard', { body: { startDate: '2025-02-30' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'startDate' } });
    expect(res.body.error.message).toMatch(/^startDate: /);
    const end = await post('/api/admin/sync/repcard', {
      body: { startDate: '2025-06-01', endDate: '2025-05-01' },
    });
    expect(end.status).toBe(400);
    expect(end.body.error.details.field).toBe('endDate');
    expect(kafka.commands.length).toBe(before);
  });

  it('when the source is unknown, then 404', async () => {
    const res = await post('/api/admin/sync/salesforce');
    expect(res.status).toBe(404);
  });

  it('when the bearer token is missing or wrong, then 401 and nothing is published', async () => {
    const before = kafka.commands.length;
    const missing = await post('/api/admin/sync/repcard', { headers: {} });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await post('/api/admin/sync/repcard', {
      headers: { Authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    expect(kafka.commands.length).toBe(before);
  });
});

describe('admin API: sync status', () => {
  beforeAll(async () => {
    await pool.query(
      `INSERT INTO sync_runs (sync_id, source, sync_type, trigger, entities, status, started_at, ingest_completed_at, completed_at) VALUES
         ('run-old', 'repcard', 'full', 'schedule', '{users,offices}', 'completed', '2025-03-01T02:00:00Z', '2025-03-01T02:05:00Z', '2025-03-01T02:06:00Z'),
         ('run-new', 'repcard', 'incremental', 'api', '{users,offices}', 'completed_with_errors', '2025-03-02T06:00:00Z', '2025-03-02T06:01:00Z', '2025-03-02T06:02:00Z'),
         ('run-cg', 'curagenesis', 'full', 'manual', '{practices,orders}', 'running', '2025-03-02T07:00:00Z', NULL, NULL)`,
    );
    await pool.query(
      `INSERT INTO sync_log (sync_id, source, entity_type, sync_type, status, records_fetched, records_inserted, records_updated, records_unchanged, records_failed, error_message) VALUES
         ('run-old', 'repcard', 'users', 'full', 'completed', 10, 10, 0, 0, 0, NULL),
         ('run-old', 'repcard', 'offices', 'full', 'completed', 2, 2, 0, 0, 0, NULL),
         ('run-new', 'repcard', 'offices', 'incremental', 'failed', 0, 0, 0, 0, 0, 'HTTP 500 from /offices'),
         ('run-new', 'repcard', 'users', 'incremental', 'completed', 5, 1, 3, 1, 0, NULL)`,
    );
    await pool.query(
      `INSERT INTO repcard_users (repcard_user_id, first_name, raw_data, version_at) VALUES (1, 'Ann', '{}', now()), (2, 'Bob', '{}', now())`,
    );
  });

  it('when a source is asked for, then its runs come newest first with their entities in run order', async () => {
    const res = await get('/api/admin/sync/repcard');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.source).toBe('repcard');
    expect(body.runs.map((r: { syncId: string }) => r.syncId)).toEqual(['run-new', 'run-old']);
    const latest = body.runs[0]!;
    expect(latest).toMatchObject({
      syncType: 'incremental',
      trigger: 'api',
      status: 'completed_with_errors',
      startedAt: '2025-03-02T06:00:00.000Z',
    });
    expect(latest.entityLogs.map((e: { entityType: string }) => e.entityType)).toEqual(['users', 'offices']);
    expect(latest.entityLogs[0]).toMatchObject({
      recordsFetched: 5,
      recordsInserted: 1,
      recordsUpdated: 3,
      recordsUnchanged: 1,
      recordsFailed: 0,
    });
    expect(latest.entityLogs[1]).toMatchObject({ status: 'failed', errorMessage: 'HTTP 500 from /offices' });
    expect(latest.totals).toEqual({ fetched: 5, inserted: 1, updated: 3, unchanged: 1, failed: 0 });
  });

  it('when the old comprehensive-sync path is read, then it answers RepCard status', async () => {
    const res = await get('/api/admin/repcard/comprehensive-sync');
    expect(res.body.runs.map((r: { syncId: string }) => r.syncId)).toEqual(['run-new', 'run-old']);
  });

  it('when one run is asked for, then it comes with entities and totals; an unknown one is 404', async () => {
    const res = await get('/api/admin/sync/runs/run-old');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      syncId: 'run-old',
      source: 'repcard',
      totals: { fetched: 12, inserted: 12 },
    });
    const missing = await get('/api/admin/sync/runs/no-such-run');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('when KPIs are asked for, then read-model counts per table and the last completed sync per source come back', async () => {
    const res = await get('/api/kpis');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.tables).toMatchObject({ repcard_users: 2, repcard_customers: 0, curagenesis_practices: 0 });
    expect(body.bySource.repcard?.repcard_users).toBe(2);
    expect(body.lastCompletedSync.repcard).toMatchObject({
      syncId: 'run-new',
      status: 'completed_with_errors',
    });
    expect(body.lastCompletedSync.curagenesis).toBeNull();
    expect(body.curagenesis).toMatchObject({ totalOrders: 0, activePractices: 0 });
  });
});

describe('live events and dashboard', () => {
  it('when the projector NOTIFYs tributary_changes, then /api/events relays it, with heartbeats in between', async () => {
    const sse = await openEvents(api.url);
    try {
      await waitFor(() => sse.text().includes(': connected'), { description: 'stream open' });
      const notice = { table: 'repcard_customers', inserted: 3, updated: 1, syncIds: ['sse-sync'] };
      await pool.query(`SELECT pg_notify('tributary_changes', $1)`, [JSON.stringify(notice)]);
      await waitFor(() => sse.text().includes('event: change'), { description: 'change event' });
      const block = sse
        .text()
        .split('\n\n')
        .find((b) => b.startsWith('event: change'))!;
      expect(
        JSON.parse(
          block
            .split('\n')
            .find((l) => l.startsWith('data: '))!
            .slice(6),
        ),
      ).toEqual(notice);
      await waitFor(() => sse.text().includes(': heartbeat'), { description: 'heartbeat' });
    } finally {
      sse.close();
    }
  });

  it('when / is opened, then the dashboard page comes back with its Sync Now buttons', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>Tributary</title>');
    expect(res.text).toContain('Sync Now');
    expect(res.text).toContain('/api/events');
  });

  it('when /readyz is asked, then Postgres, its LISTEN connection and Kafka answer', async () => {
    const res = await get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({
      postgres: 'ok',
      postgres_listen: 'ok',
      kafka: 'ok',
    });
  });
});

describe('schedule', () => {
  it('when the injected clock reaches a due minute, then a schedule-triggered command is published, and stop ends open streams', async () => {
    // 2031-05-05T02:00Z is a full-sync slot; the clock starts 5 s before it (start-up now migrates the
    // accounts tables and checks the bootstrap admin) and runs at real speed.
    const cron = await startInProcess(
      db.url,
      { SCHEDULE_ENABLED: 'true', SCHEDULE_SOURCES: 'repcard' },
      { clock: clockFrom('2031-05-05T01:59:55.000Z') },
    );
    let stopped = false;
    try {
      const schedule = (await (
        await fetch(`${cron.url}/api/admin/schedule`, { headers: auth })
      ).json()) as Record<string, unknown>;
      expect(schedule).toMatchObject({
        enabled: true,
        sources: ['repcard'],
        next: { at: '2031-05-05T02:00:00.000Z', mode: 'full' },
      });
      const command = await waitFor(
        () =>
          kafka.commands.find(
            (c) => c.trigger === 'schedule' && c.requestedAt === '2031-05-05T02:00:00.000Z',
          ),
        {
          timeoutMs: 30_000,
          description: 'scheduled command',
        },
      );
      expect(command).toMatchObject({
        source: 'repcard',
        mode: 'full',
        requestedBy: 'scheduler',
        entities: [],
      });
      expect(
        kafka.commands.filter(
          (c) => c.trigger === 'schedule' && c.requestedAt.startsWith('2031-05-05T02:00'),
        ),
      ).toHaveLength(1);

      const sse = await openEvents(cron.url);
      await waitFor(() => sse.text().includes(': connected'), { description: 'stream open' });
      const started = Date.now();
      await cron.stopService();
      await waitFor(() => sse.ended(), { timeoutMs: 5000, description: 'stream ended' });
      expect(sse.text()).toContain('event: shutdown');
      await cron.stopHttp();
      stopped = true;
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      if (!stopped) await cron.stop();
    }
  });
});
