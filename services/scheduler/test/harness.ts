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
import { startScheduler, type SchedulerOptions } from '../src/app';
import { schedulerConfigSchema } from '../src/config';

export const MIGRATIONS = join(__dirname, '..', '..', 'projector', 'migrations');

export function testLogger(): Logger {
  return process.env.TRIBUTARY_TEST_LOGS ? createLogger('scheduler', { level: 'debug' }) : nullLogger();
}

/** A database with the projector's schema (the scheduler runs no migrations). */
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
  const config = loadConfig(schedulerConfigSchema, { ...process.env, DATABASE_URL: databaseUrl, ...env });
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

export async function openEvents(url: string): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/events`, {
    signal: controller.signal,
    headers: { Accept: 'text/event-stream' },
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
