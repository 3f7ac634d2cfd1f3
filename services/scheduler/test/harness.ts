import { join } from 'node:path';
import type { Pool } from 'pg';
import { loadConfig } from '@tributary/config';
import { SyncRequestedContract, TOPICS, type SyncRequested } from '@tributary/contracts';
import type { Clock } from '@tributary/core';
import { createPool, migrate } from '@tributary/db';
import { createHttpService } from '@tributary/http';
import { createKafka, SchemaCodec } from '@tributary/kafka';
import { createLogger, createMetrics, nullLogger, type Logger } from '@tributary/observability';
import type { RunningService } from '@tributary/service';
import { createTestDatabase, uniqueName, type TestDatabase } from '@tributary/testkit';
import { createToken, createUser, type Role } from '@tributary/auth';
import { startScheduler, type SchedulerOptions } from '../src/app';
import { schedulerConfigSchema } from '../src/config';

export const MIGRATIONS = join(__dirname, '..', '..', 'projector', 'migrations');

export function testLogger(): Logger {
  return process.env.TRIBUTARY_TEST_LOGS ? createLogger('scheduler', { level: 'debug' }) : nullLogger();
}

/** The first admin every in-process scheduler is started with (ADMIN_USERNAME / ADMIN_PASSWORD / ADMIN_TOKEN). */
export const TEST_ADMIN = {
  username: 'admin-api',
  password: 'test-admin-password-0123',
  token: 'test-admin-token-0123456789',
} as const;

/** `Authorization` of the test admin's token. */
export const adminAuth = { Authorization: `Bearer ${TEST_ADMIN.token}` };

/** A user of `role` with an API token, made straight in the accounts tables (as `tributary users add` does). */
export async function userWithToken(
  pool: Pool,
  role: Role,
  username = uniqueName(role),
): Promise<{ username: string; password: string; headers: Record<string, string> }> {
  const password = `${username}-password`;
  await createUser(pool, username, role, password);
  const { secret } = await createToken(pool, { username, name: 'test' });
  return { username, password, headers: { Authorization: `Bearer ${secret}` } };
}

/**
 * Ages a queued sync request past SYNC_QUEUED_TIMEOUT_MINUTES (no ingest runs in these tests), so
 * the next request of its source is not coalesced with it.
 */
export async function expireQueued(pool: Pool, syncId: string): Promise<void> {
  await pool.query(
    `UPDATE tributary_sync_requests SET requested_at = now() - interval '1 day' WHERE sync_id = $1`,
    [syncId],
  );
}

/** A database with the projector's schema (the scheduler adds its own and the accounts tables at start). */
export async function readModelDatabase(): Promise<{ db: TestDatabase; pool: Pool }> {
  const db = await createTestDatabase('scheduler');
  const pool = createPool(db.url, { max: 3 });
  await migrate(pool, MIGRATIONS);
  return { db, pool };
}

export interface InProcessScheduler {
  url: string;
  running: RunningService;
  /** As the runtime does it: HTTP drained first, then the service. */
  stop(): Promise<void>;
  stopService(): Promise<void>;
  stopHttp(): Promise<void>;
}

/** The scheduler's app in this process, with its HTTP server on a free port (as runService builds it). */
export async function startInProcess(
  databaseUrl: string,
  env: Record<string, string>,
  options: SchedulerOptions = {},
): Promise<InProcessScheduler> {
  const config = loadConfig(schedulerConfigSchema, {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ADMIN_TOKEN: TEST_ADMIN.token,
    ...env,
  });
  const logger = testLogger();
  const metrics = createMetrics('scheduler');
  const running = await startScheduler({ config, logger, metrics }, options);
  const http = createHttpService({
    service: 'scheduler',
    logger,
    metrics,
    readiness: running.readiness,
    configure: running.configure,
    shutdownTimeoutMs: 3000,
  });
  const port = await http.start(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    running,
    stopHttp: () => http.stop(),
    stopService: () => running.stop(),
    async stop() {
      await http.stop();
      await running.stop();
    },
  };
}

/** A clock running at real speed from `startIso` (so the cron loop's real timers fire soon). */
export function clockFrom(startIso: string): Clock {
  const offset = new Date(startIso).getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Every SyncRequested on the commands topic, read committed by a fresh group from the beginning. */
export async function collectCommands(): Promise<{ commands: SyncRequested[]; stop(): Promise<void> }> {
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: uniqueName('sched-test'),
  });
  const codec = new SchemaCodec({ url: process.env.SCHEMA_REGISTRY_URL! });
  const consumer = kafka.consumer({ groupId: uniqueName('sched-test'), readUncommitted: false });
  const commands: SyncRequested[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.syncCommands, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const command = await codec.decode(message.value, SyncRequestedContract);
      if (message.key?.toString() !== command.source)
        throw new Error(`command ${command.syncId} keyed ${message.key?.toString()}`);
      commands.push(command);
    },
  });
  return { commands, stop: () => consumer.disconnect() };
}

/** An open GET /api/events: everything received so far, as text. */
export interface SseClient {
  text(): string;
  ended(): boolean;
  close(): void;
}

export async function openEvents(
  url: string,
  headers: Record<string, string> = adminAuth,
): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/events`, {
    signal: controller.signal,
    headers: { Accept: 'text/event-stream', ...headers },
  });
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`GET /api/events answered ${res.status} ${res.headers.get('content-type')}`);
  }
  let received = '';
  let ended = false;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted by close()
    }
    ended = true;
  })();
  return { text: () => received, ended: () => ended, close: () => controller.abort() };
}
