import type { Checkpoint, SyncCancelled, SyncCancelRequested, SyncRequested } from '@tributary/contracts';

/** Where a cancelled run stood: records fetched and committed, the entity it stopped in. */
export interface CancelPoint {
  fetched: number;
  entity: string | null;
  started: boolean;
}

/** The SyncCancelled event of `command`, cancelled by `request`, stopped at `point` (pure). */
export function syncCancelledEvent(
  command: SyncRequested,
  request: SyncCancelRequested,
  point: CancelPoint,
  at: Date,
): SyncCancelled {
  return {
    type: 'SyncCancelled',
    version: 1,
    syncId: command.syncId,
    source: command.source,
    at: at.toISOString(),
    mode: command.mode,
    fetched: point.fetched,
    entity: point.entity,
    started: point.started,
    cancelledBy: request.requestedBy,
  };
}

/**
 * Where a command cancelled before this replica ran it stands: nothing, for a queued run; what its
 * checkpoints say, for a run an earlier replica had started before the command came back (a crash
 * between the cancel and the commit).
 */
export function pointBeforeStart(
  command: SyncRequested,
  checkpoints: ReadonlyMap<string, Checkpoint>,
): CancelPoint {
  const own = [...checkpoints.values()].filter(
    (c) => c.source === command.source && c.fullSync?.syncId === command.syncId,
  );
  return {
    fetched: own.reduce((n, c) => n + (c.fullSync?.fetched ?? 0), 0),
    entity: null,
    started: own.length > 0,
  };
}
