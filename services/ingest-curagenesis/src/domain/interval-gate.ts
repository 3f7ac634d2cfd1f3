import type { Checkpoint, SyncRequested } from '@tributary/contracts';
import type { RunGate } from '@tributary/sync';

/**
 * The product's rule: at most one scheduled or manual CuraGenesis sync per interval (an hour), unless
 * the command is forced. A skipped command is never silent: the caller publishes SyncSkipped with the
 * reason, which the projector records in sync_runs.
 */
export type GateDecision =
  { run: true; why: 'first' | 'due' | 'forced' | 'resume' } | { run: false; reason: string };

export interface GateInput {
  command: Pick<SyncRequested, 'syncId' | 'force'>;
  now: Date;
  minIntervalMs: number;
  /** When the last run started (null: none known). */
  lastStartedAt: Date | null;
  /** Runs that already wrote checkpoints: a redelivered command of one of them resumes, it is not new. */
  knownSyncIds: ReadonlySet<string>;
}

export function decideRun(input: GateInput): GateDecision {
  const { command, now, minIntervalMs, lastStartedAt } = input;
  if (input.knownSyncIds.has(command.syncId)) return { run: true, why: 'resume' };
  if (command.force) return { run: true, why: 'forced' };
  if (!lastStartedAt) return { run: true, why: 'first' };
  const elapsed = now.getTime() - lastStartedAt.getTime();
  if (elapsed >= minIntervalMs) return { run: true, why: 'due' };
  const next = new Date(lastStartedAt.getTime() + minIntervalMs);
  return {
    run: false,
    reason:
      `a CuraGenesis sync started ${describeDuration(Math.max(0, elapsed))} ago (${lastStartedAt.toISOString()}); ` +
      `at most one sync per ${describeDuration(minIntervalMs)}: the next may start at ${next.toISOString()} ` +
      '(force it with --force)',
  };
}

function describeDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * When the last run started, as far as the checkpoints tell (read at start-up). CuraGenesis records
 * carry no update time, so an entity's high-water mark is the start of the last run that completed it;
 * an entity whose run did not complete (crashed, failed) only tells when it last wrote, which is at or
 * after its start (a conservative stand-in).
 */
export function lastStartFromCheckpoints(checkpoints: Iterable<Checkpoint>): Date | null {
  let latest: number | null = null;
  const consider = (iso: string | null | undefined) => {
    const t = iso ? Date.parse(iso) : Number.NaN;
    if (Number.isFinite(t) && (latest === null || t > latest)) latest = t;
  };
  for (const cp of checkpoints) {
    if (cp.source !== 'curagenesis') continue;
    consider(cp.highWaterMark);
    if (cp.fullSync && !cp.fullSync.completed) consider(cp.updatedAt);
  }
  return latest === null ? null : new Date(latest);
}

/** The runs the checkpoints know (a command of one of them is a redelivery). */
export function knownSyncIds(checkpoints: Iterable<Checkpoint>): Set<string> {
  const ids = new Set<string>();
  for (const cp of checkpoints) if (cp.source === 'curagenesis' && cp.fullSync) ids.add(cp.fullSync.syncId);
  return ids;
}

/**
 * The interval rule as the ingest runtime's gate: the last start is learnt from the checkpoints read
 * at start-up, then every admitted run that is not a resumption moves it to its own start.
 */
export function intervalGate(minIntervalMs: number, checkpoints: ReadonlyMap<string, Checkpoint>): RunGate {
  let lastStartedAt = lastStartFromCheckpoints(checkpoints.values());
  return {
    startupFields: { lastStartedAt: lastStartedAt?.toISOString() ?? null },
    admit(command, now) {
      const decision = decideRun({
        command,
        now,
        minIntervalMs,
        lastStartedAt,
        knownSyncIds: knownSyncIds(checkpoints.values()),
      });
      if (!decision.run) return decision;
      if (decision.why !== 'resume') lastStartedAt = now;
      return { run: true };
    },
  };
}
