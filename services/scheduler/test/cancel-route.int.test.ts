import './isolated-namespace';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { SyncCancelRequestedContract, TOPICS, type SyncCancelRequested } from '@tributary/contracts';
import { withTransaction } from '@tributary/db';
import { createKafka, SchemaCodec } from '@tributary/kafka';
import { applySyncEvent } from '@tributary/read-model';
import { uniqueName, waitFor, type TestDatabase } from '@tributary/testkit';
import {
  adminAuth,
  readModelDatabase,
  startInProcess,
  userWithToken,
  type InProcessScheduler,
} from './harness';

let db: TestDatabase;
let pool: Pool;
let api: InProcessScheduler;
let viewer: Awaited<ReturnType<typeof userWithToken>>;
let operator: Awaited<ReturnType<typeof userWithToken>>;
const cancels: SyncCancelRequested[] = [];
let stopReading: () => Promise<void>;

/** Every SyncCancelRequested on the control topic (keyed by its syncId, checked here). */
async function readCancels(): Promise<() => Promise<void>> {
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: uniqueName('cancel-test'),
  });
  const codec = new SchemaCodec({ url: process.env.SCHEMA_REGISTRY_URL! });
  const consumer = kafka.consumer({ groupId: uniqueName('cancel-test'), readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.syncControl, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const cancel = await codec.decode(message.value, SyncCancelRequestedContract);
      if (message.key?.toString() !== cancel.syncId)
        throw new Error(`cancel keyed ${message.key?.toString()}`);
      cancels.push(cancel);
    },
  });
  return () => consumer.disconnect();
}

async function call(path: string, headers: Record<string, string>, body: unknown = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const cancel = (syncId: string, headers: Record<string, string> = operator.headers, body: unknown = {}) =>
  call(`/api/admin/sync/runs/${syncId}/cancel`, headers, body);

/** A run the read models show as started (and, with `ended`, finished) by an ingest. */
async function runOf(status: 'running' | 'completed'): Promise<string> {
  const syncId = randomUUID();
  const base = { version: 1 as const, syncId, source: 'repcard' as const, at: new Date().toISOString() };
  await withTransaction(pool, async (c) => {
    await applySyncEvent(c, {
      type: 'SyncStarted',
      ...base,
      mode: 'full',
      entities: ['users'],
      trigger: 'api',
    });
    if (status === 'completed') await applySyncEvent(c, { type: 'SyncSkipped', ...base, reason: 'test' });
  });
  return syncId;
}

beforeAll(async () => {
  ({ db, pool } = await readModelDatabase());
  api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' });
  viewer = await userWithToken(pool, 'viewer');
  operator = await userWithToken(pool, 'operator');
  stopReading = await readCancels();
});

afterAll(async () => {
  await api?.stop();
  await stopReading?.();
  await pool?.end();
  await db?.drop();
});

describe('POST /api/admin/sync/runs/:syncId/cancel', () => {
  it('when an operator cancels a running run, then 202 answers and a SyncCancelRequested keyed by the syncId is on sync.control', async () => {
    const syncId = await runOf('running');
    const res = await cancel(syncId);
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/admin/sync/runs/${syncId}`);
    expect(res.body).toMatchObject({
      syncId,
      source: 'repcard',
      status: 'cancel_requested',
      state: 'running',
      requestedBy: operator.username,
    });
    await waitFor(() => cancels.some((c) => c.syncId === syncId), {
      timeoutMs: 15_000,
      description: 'the cancel on Kafka',
    });
    expect(cancels.find((c) => c.syncId === syncId)).toMatchObject({
      source: 'repcard',
      requestedBy: operator.username,
    });
  });

  it('when a sync requested through the API is still queued, then it can be cancelled (state queued)', async () => {
    const requested = await call('/api/admin/sync/curagenesis', operator.headers, {});
    expect(requested.status).toBe(202);
    const syncId = requested.body.syncId as string;
    const res = await cancel(syncId);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ syncId, source: 'curagenesis', state: 'queued' });
    await waitFor(() => cancels.some((c) => c.syncId === syncId), {
      timeoutMs: 15_000,
      description: 'the cancel on Kafka',
    });
    // It will never run: the next request of its source is a new sync, not coalesced with it.
    const next = await call('/api/admin/sync/curagenesis', operator.headers, {});
    expect(next.body).toMatchObject({ coalesced: false, status: 'requested' });
    expect(next.body.syncId).not.toBe(syncId);
  });

  it('when the id is unknown, then 404; when the run has ended, then 409 with its status; both audited as refused', async () => {
    const unknown = randomUUID();
    const missing = await cancel(unknown);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');

    const ended = await runOf('completed');
    const conflict = await cancel(ended);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({
      code: 'SYNC_ALREADY_ENDED',
      details: { runStatus: 'skipped' },
    });

    const audit = (await fetch(`${api.url}/api/admin/audit`, { headers: adminAuth }).then((r) =>
      r.json(),
    )) as {
      entries: unknown[];
    };
    expect(audit.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'sync.cancel',
          target: unknown,
          outcome: 'refused',
          details: { reason: 'unknown' },
        }),
        expect.objectContaining({ action: 'sync.cancel', target: ended, outcome: 'refused' }),
      ]),
    );
    expect(cancels.some((c) => c.syncId === unknown || c.syncId === ended)).toBe(false);
  });

  it('when the id is no UUID (a NUL in the path), then 404, never a 500', async () => {
    for (const id of ['nope', '%00', 'a%F0%9F%98%80b']) {
      const res = await cancel(id);
      expect(res.status).toBe(404);
    }
  });

  it('when a viewer cancels, then 403; when options are sent, then 400', async () => {
    const syncId = await runOf('running');
    const refused = await cancel(syncId, viewer.headers);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const withOptions = await cancel(syncId, operator.headers, { force: true });
    expect(withOptions.status).toBe(400);
    expect(withOptions.body.error.details).toEqual({ field: 'force' });
  });

  it('when a session cancels, then it needs its X-CSRF-Token', async () => {
    const login = await fetch(`${api.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: operator.username, password: operator.password }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const syncId = await runOf('running');
    const missing = await cancel(syncId, { Cookie: cookie });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('CSRF_REFUSED');
    expect((await cancel(syncId, { Cookie: cookie, 'X-CSRF-Token': csrfToken })).status).toBe(202);
  });
});
