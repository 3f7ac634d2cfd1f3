import { backoffWithJitter, errorMessage, sleep, systemClock, type Clock } from '@tributary/core';
import { SYNC_MODES, type Source, type SyncRequested } from '@tributary/contracts';
import type { Logger, Metrics } from '@tributary/observability';
import { newSyncCommand } from '@tributary/sync';
import { latestFiring, nextFiring, type Firing, type ScheduleEntry } from '../domain/schedule';

/** Timer functions, injectable so tests drive the loop without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * What a publish did, when it may leave commands out (leader election, ADR 0019): the commands Kafka
 * acknowledged and those whose slot another replica already fired; or nothing, this replica not leading.
 */
export type FiringResult =
  | { outcome: 'published'; published: readonly SyncRequested[]; alreadyFired: readonly SyncRequested[] }
  | { outcome: 'not_leader' };

export interface CronLoopOptions {
  entries: readonly ScheduleEntry[];
  sources: readonly Source[];
  /**
   * Publishes the commands of one firing (one per source, of the slot `slotAt`) and resolves once
   * Kafka acknowledged them; resolving without a result means all of them were published.
   */
  publish(commands: SyncRequested[], slotAt: Date): Promise<void | FiringResult>;
  logger: Logger;
  metrics: Metrics;
  clock?: Clock;
  timers?: Timers;
  /** Publish attempts per firing before the slot is given up, default 3. */
  attempts?: number;
  /** Base of the backoff between attempts, default 1000 ms. */
  retryBaseMs?: number;
}

export interface CronLoop {
  /** The firing the loop waits for, or null once stopped. */
  next(): Firing | null;
  /**
   * Fires the latest slot due after `since` and up to now, if any (a new leader: the slot that fell
   * in the handover; the publish makes it once per slot). Resolves when that firing ended.
   */
  catchUp(since: Date): Promise<void>;
  /** Clears the timer and waits for a firing in progress to finish. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Longest single wait: a timer is re-armed at least this often, so a wall clock that jumps (NTP,
 * a suspended VM) is noticed within the hour, and no delay exceeds setTimeout's 2^31-1 ms limit.
 */
const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * The schedule as a timer loop: one setTimeout to the next due minute (no polling), then one
 * SyncRequested per source with trigger `schedule`, then the next. A firing is due at its minute;
 * slots missed while the process was not running (or was suspended) are not caught up: the next
 * slot after "now" is the one planned. `requestedAt` of a scheduled command is the slot's minute.
 * Metrics: the slot waited for (`..._next_run_timestamp_seconds`: in the past, the slot is late), the
 * last slot Kafka acknowledged (`..._last_fired_timestamp_seconds`), commands per outcome (at 0 from start).
 */
export function startCronLoop(options: CronLoopOptions): CronLoop {
  const { entries, sources, publish, logger, metrics } = options;
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;
  const attempts = options.attempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const nextGauge = metrics.gauge('tributary_schedule_next_run_timestamp_seconds');
  const lastFiredGauge = metrics.gauge('tributary_schedule_last_fired_timestamp_seconds');
  metrics.preset('tributary_schedule_commands_total', { source: sources, mode: SYNC_MODES });
  const abort = new AbortController();
  let planned: Firing | null = null;
  let handle: unknown;
  const running = new Set<Promise<void>>();
  let stopped = false;

  function track(work: Promise<void>): Promise<void> {
    running.add(work);
    work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  }

  function plan(after: Date, first = false): void {
    if (stopped) return;
    planned = nextFiring(entries, after);
    if (!planned) return;
    nextGauge.reset();
    nextGauge.set({ mode: planned.mode }, planned.at.getTime() / 1000);
    const level = first ? 'info' : 'debug';
    logger[level]('schedule.planned', `next scheduled ${planned.mode} sync at ${planned.at.toISOString()}`, {
      mode: planned.mode,
      at: planned.at.toISOString(),
      sources,
    });
    arm();
  }

  function arm(): void {
    if (stopped || !planned) return;
    const wait = Math.max(0, Math.min(MAX_WAIT_MS, planned.at.getTime() - clock.now().getTime()));
    handle = timers.setTimeout(onTimer, wait);
  }

  function onTimer(): void {
    handle = undefined;
    if (stopped || !planned) return;
    const now = clock.now();
    if (now.getTime() < planned.at.getTime()) {
      arm(); // woke early (a long wait in steps, or the clock moved back): wait the rest
      return;
    }
    const firing = planned;
    track(
      fire(firing).finally(() => {
        // Plan from the later of the slot and now: after a long stall, skip the slots that passed.
        const later = clock.now().getTime() > firing.at.getTime() ? clock.now() : firing.at;
        plan(later);
      }),
    );
  }

  async function fire(firing: Firing): Promise<void> {
    const commands = sources.map((source) =>
      newSyncCommand({
        source,
        mode: firing.mode,
        trigger: 'schedule',
        requestedBy: 'scheduler',
        now: firing.at,
      }),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        const result = (await publish(commands, firing.at)) ?? {
          outcome: 'published',
          published: commands,
          alreadyFired: [],
        };
        if (result.outcome === 'not_leader') {
          logger.debug(
            'schedule.skipped',
            `scheduled ${firing.mode} sync at ${firing.at.toISOString()} left to the leader`,
            { mode: firing.mode, slot: firing.at.toISOString(), reason: 'not_leader' },
          );
          return;
        }
        for (const c of result.alreadyFired) {
          metrics
            .counter('tributary_schedule_commands_total')
            .inc({ source: c.source, mode: c.mode, outcome: 'already_fired' });
          logger.info(
            'schedule.skipped',
            `scheduled ${c.mode} sync of ${c.source} at ${firing.at.toISOString()} was already requested by another replica`,
            { source: c.source, mode: c.mode, slot: firing.at.toISOString(), reason: 'already_fired' },
          );
        }
        if (result.published.length === 0) return;
        lastFiredGauge.set({ mode: firing.mode }, firing.at.getTime() / 1000);
        for (const c of result.published) {
          metrics
            .counter('tributary_schedule_commands_total')
            .inc({ source: c.source, mode: c.mode, outcome: 'published' });
          logger.info(
            'schedule.triggered',
            `scheduled ${c.mode} sync of ${c.source} requested: ${c.syncId}`,
            {
              syncId: c.syncId,
              source: c.source,
              mode: c.mode,
              slot: firing.at.toISOString(),
            },
          );
        }
        return;
      } catch (err) {
        if (attempt >= attempts || stopped) {
          for (const c of commands) {
            metrics
              .counter('tributary_schedule_commands_total')
              .inc({ source: c.source, mode: c.mode, outcome: 'failed' });
          }
          logger.error(
            'schedule.publish_failed',
            `scheduled ${firing.mode} sync at ${firing.at.toISOString()} not requested: ${errorMessage(err)}`,
            {
              mode: firing.mode,
              slot: firing.at.toISOString(),
              attempts: attempt,
              err,
            },
          );
          return;
        }
        await sleep(backoffWithJitter(attempt, retryBaseMs, 30_000), abort.signal);
      }
    }
  }

  plan(clock.now(), true);

  return {
    next: () => (stopped ? null : planned),
    async catchUp(since) {
      if (stopped) return;
      const missed = latestFiring(entries, since, clock.now());
      if (missed) await track(fire(missed));
    },
    async stop() {
      if (stopped) {
        await Promise.all(running);
        return;
      }
      stopped = true;
      abort.abort();
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
      planned = null;
      nextGauge.reset();
      await Promise.all(running);
    },
  };
}
