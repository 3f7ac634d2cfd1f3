import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { SyncRequested, Source } from '@tributary/contracts';
import { systemClock, type Clock } from '@tributary/core';
import { createPool } from '@tributary/db';
import type { Logger, Metrics } from '@tributary/observability';
import type { Pool } from 'pg';
import { CRON_LEASE } from '../data-access/leases';
import { publishOncePerSlot } from '../data-access/scheduled-slots';
import { leaderTimings } from '../domain/leadership';
import type { ScheduleEntry } from '../domain/schedule';
import { startCronLoop, type CronLoop, type Timers } from './cron';
import { startLeaderElection, type LeaderElection } from './leader-election';

export interface ScheduledSyncsOptions {
  databaseUrl: string;
  /** The service's pool: the slot claims are written through it. */
  pool: Pool;
  entries: readonly ScheduleEntry[];
  sources: readonly Source[];
  /** Publishes commands to Kafka; resolves once acknowledged. */
  publish(commands: SyncRequested[]): Promise<void>;
  leaseMs: number;
  logger: Logger;
  metrics: Metrics;
  clock?: Clock;
  /** The cron loop's timers (tests); the lease runs on real timers. */
  timers?: Timers;
}

export interface ScheduledSyncs {
  loop: CronLoop;
  election: LeaderElection;
  /** The loop first (a firing in progress ends), then the lease given up, then its connection. */
  stop(): Promise<void>;
}

/** This process's id in the lease row: host (the pod's name on Kubernetes), pid and a random part. */
export function leaseHolderId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/**
 * The schedule with N replicas (ADR 0019): every replica runs the cron loop (so each knows the next
 * slot), one leads by a PostgreSQL lease, and a slot is published only by the leader and only once
 * (claimed in `tributary_cron_slots` in the transaction that checks the lease). A replica that
 * starts leading fires the latest slot that fell in the handover, if nobody did.
 */
export async function startScheduledSyncs(options: ScheduledSyncsOptions): Promise<ScheduledSyncs> {
  const { pool, logger, metrics } = options;
  const leasePool = createPool(options.databaseUrl, {
    max: 1,
    applicationName: 'scheduler-leader',
    connectionTimeoutMs: Math.max(1000, Math.floor(options.leaseMs / 3)),
    logger,
  });
  const holder = leaseHolderId();
  const clock = options.clock ?? systemClock;
  const { catchUpMs } = leaderTimings(options.leaseMs);
  const catchUpSince = (): Date => new Date(clock.now().getTime() - catchUpMs);
  let loop: CronLoop | undefined;
  let election: LeaderElection | undefined;
  try {
    election = await startLeaderElection({
      pool: leasePool,
      name: CRON_LEASE,
      holder,
      leaseMs: options.leaseMs,
      logger,
      metrics,
      // The first attempt resolves before the loop exists: that case is handled below.
      onGained: () => void loop?.catchUp(catchUpSince()),
    });
    const started = election;
    loop = startCronLoop({
      entries: options.entries,
      sources: options.sources,
      publish: (commands, slotAt) =>
        started.isLeader()
          ? publishOncePerSlot(pool, { name: CRON_LEASE, holder }, slotAt, commands, options.publish)
          : Promise.resolve({ outcome: 'not_leader' }),
      logger,
      metrics,
      clock,
      timers: options.timers,
    });
    // Leading from the start: a slot that fell in the gap before this start (a rolling update).
    if (election.isLeader()) void loop.catchUp(catchUpSince());
  } catch (err) {
    await election?.stop();
    await leasePool.end();
    throw err;
  }
  const running = { loop, election };
  return {
    ...running,
    async stop() {
      await running.loop.stop();
      await running.election.stop();
      await leasePool.end();
    },
  };
}
