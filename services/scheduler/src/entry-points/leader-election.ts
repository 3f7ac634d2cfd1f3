import { errorMessage } from '@tributary/core';
import type { Logger, Metrics } from '@tributary/observability';
import type { Pool } from 'pg';
import { acquireLease, releaseLease, type LeaseAttempt } from '../data-access/leases';
import {
  evolveLeadership,
  FOLLOWER,
  leaderTimings,
  type LeaderTimings,
  type Leadership,
  type LeaseEvent,
} from '../domain/leadership';
import type { Timers } from './cron';

export interface LeaderElectionOptions {
  /** A pool of its own (one connection), so a busy API never delays a renewal. */
  pool: Pool;
  /** The lease's name (`CRON_LEASE`). */
  name: string;
  /** This replica's id in the lease row: unique per process (host, pid, random). */
  holder: string;
  leaseMs: number;
  logger: Logger;
  metrics: Metrics;
  /** Called when this replica starts leading (after the gauge and the log line). */
  onGained?(): void;
  timers?: Timers;
  /** Monotonic milliseconds. */
  monotonicNow?: () => number;
}

export interface LeaderElection {
  readonly holder: string;
  readonly timings: LeaderTimings;
  isLeader(): boolean;
  /** Stops trying and renewing and, if it leads, gives the lease up (a standby takes it at its next try). */
  stop(): Promise<void>;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Competes for the lease every `renewEveryMs` (the leader renews it on the same beat) and keeps the
 * `tributary_scheduler_leader` gauge and the `leader.gained` / `leader.lost` log lines. A leader that
 * cannot renew (PostgreSQL unreachable) stops believing it leads when its lease would have run out,
 * by a timer of its own, even if the statement hangs. Resolves after the first attempt, so a lone
 * replica leads from its start.
 */
export async function startLeaderElection(options: LeaderElectionOptions): Promise<LeaderElection> {
  const { pool, name, holder, leaseMs, logger, metrics } = options;
  const timers = options.timers ?? realTimers;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const timings = leaderTimings(leaseMs);
  const gauge = metrics.gauge('tributary_scheduler_leader');
  gauge.set({}, 0);
  let state: Leadership = FOLLOWER;
  let stopped = false;
  let tickHandle: unknown;
  let expiryHandle: unknown;
  let attempt: Promise<void> | undefined;
  let lastFailure: string | undefined;

  function apply(event: LeaseEvent, detail?: string): void {
    const { state: next, change } = evolveLeadership(state, event, leaseMs);
    state = next;
    if (expiryHandle !== undefined) timers.clearTimeout(expiryHandle);
    expiryHandle = undefined;
    if (state.leader) {
      const wait = Math.max(0, state.validUntil - monotonicNow());
      expiryHandle = timers.setTimeout(() => {
        expiryHandle = undefined;
        apply({ kind: 'tick', at: monotonicNow() }, 'its lease ran out without a renewal');
      }, wait);
    }
    if (change === 'gained') {
      gauge.set({}, 1);
      logger.info(
        'leader.gained',
        `this replica (${holder}) leads the schedule: it fires the scheduled slots`,
        {
          holder,
          lease: name,
        },
      );
      options.onGained?.();
    } else if (change === 'lost') {
      gauge.set({}, 0);
      logger.warn(
        'leader.lost',
        `this replica (${holder}) no longer leads the schedule: ${detail ?? 'unknown'}`,
        {
          holder,
          lease: name,
          reason: detail,
        },
      );
    }
  }

  async function tryOnce(): Promise<void> {
    const sentAt = monotonicNow();
    let result: LeaseAttempt;
    try {
      result = await acquireLease(pool, name, holder, leaseMs);
    } catch (err) {
      if (stopped) return;
      const message = errorMessage(err);
      if (message !== lastFailure) {
        logger.warn('leader.attempt_failed', `cron lease attempt failed: ${message}`, { holder, err });
      }
      lastFailure = message;
      apply({ kind: 'failed', at: monotonicNow() }, `the lease could not be renewed: ${message}`);
      return;
    }
    lastFailure = undefined;
    if (stopped) return;
    if (result.held) apply({ kind: 'held', sentAt });
    else
      apply(
        { kind: 'refused', holder: result.holder },
        `${result.holder ?? 'another replica'} holds the lease`,
      );
  }

  function schedule(): void {
    if (stopped) return;
    tickHandle = timers.setTimeout(() => {
      tickHandle = undefined;
      attempt = tryOnce().finally(() => {
        attempt = undefined;
        schedule();
      });
    }, timings.renewEveryMs);
  }

  await tryOnce();
  schedule();

  return {
    holder,
    timings,
    isLeader: () => state.leader,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (tickHandle !== undefined) timers.clearTimeout(tickHandle);
      tickHandle = undefined;
      await settledWithin(attempt, timings.renewEveryMs, timers);
      const wasLeader = state.leader;
      if (expiryHandle !== undefined) timers.clearTimeout(expiryHandle);
      expiryHandle = undefined;
      state = FOLLOWER;
      gauge.set({}, 0);
      if (!wasLeader) return;
      logger.info('leader.lost', `this replica (${holder}) stops: it gives the schedule's lease up`, {
        holder,
        lease: name,
        reason: 'stopping',
      });
      try {
        await releaseLease(pool, name, holder);
      } catch (err) {
        logger.warn(
          'leader.attempt_failed',
          `the cron lease could not be given up (it runs out): ${errorMessage(err)}`,
          {
            holder,
            err,
          },
        );
      }
    },
  };
}

/** Waits for `work` (if any) to settle, but no longer than `ms`: a hung statement must not hold a shutdown. */
function settledWithin(work: Promise<void> | undefined, ms: number, timers: Timers): Promise<void> {
  if (!work) return Promise.resolve();
  return new Promise((resolve) => {
    const handle = timers.setTimeout(resolve, ms);
    void work.finally(() => {
      timers.clearTimeout(handle);
      resolve();
    });
  });
}
