import type { SyncCancelRequested } from '@tributary/contracts';
import { TributaryError } from '@tributary/core';

/**
 * The cancels one ingest replica knows of (ADR 0017), filled from `sync.control` by the cancel
 * watcher: the command handler asks it before a run starts (a queued run cancelled in time never
 * runs) and subscribes for the run's length (a running one stops at its next page boundary).
 * Pure: no Kafka here; the unit tests fill it by hand.
 */
export class Cancellations {
  private readonly requests = new Map<string, SyncCancelRequested>();
  private readonly waiting = new Map<string, Set<(request: SyncCancelRequested) => void>>();

  /** Records a cancel; true when it is the first for its run (a repeated request changes nothing). */
  add(request: SyncCancelRequested): boolean {
    if (this.requests.has(request.syncId)) return false;
    this.requests.set(request.syncId, request);
    const listeners = this.waiting.get(request.syncId);
    this.waiting.delete(request.syncId);
    for (const listener of listeners ?? []) listener(request);
    return true;
  }

  /** The cancel of `syncId`, if one was requested. */
  get(syncId: string): SyncCancelRequested | undefined {
    return this.requests.get(syncId);
  }

  /** Calls `listener` once when `syncId` is cancelled (at once if it already is). Returns the unsubscribe. */
  onCancel(syncId: string, listener: (request: SyncCancelRequested) => void): () => void {
    const known = this.requests.get(syncId);
    if (known) {
      listener(known);
      return () => undefined;
    }
    let listeners = this.waiting.get(syncId);
    if (!listeners) this.waiting.set(syncId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.waiting.get(syncId) === listeners) this.waiting.delete(syncId);
    };
  }

  /** Runs waiting for a cancel (for tests: a finished run leaves none behind). */
  get watched(): number {
    return this.waiting.size;
  }
}

/** Why a run's signal was aborted when an operator cancelled it: not a failure, the run ends `cancelled`. */
export class SyncCancelledError extends TributaryError {
  constructor(readonly request: SyncCancelRequested) {
    super('SYNC_CANCELLED', `sync ${request.syncId} cancelled by ${request.requestedBy}`, {
      details: { syncId: request.syncId, requestedBy: request.requestedBy },
    });
  }
}

export function isSyncCancelled(err: unknown): err is SyncCancelledError {
  return err instanceof SyncCancelledError;
}

/**
 * The signal of one run: aborted when the service stops (`service`'s reason) or when the run is
 * cancelled (a SyncCancelledError). `release` drops both links once the run is over.
 */
export function runSignal(
  syncId: string,
  service: AbortSignal | undefined,
  cancellations: Cancellations | undefined,
): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onServiceAbort = () => controller.abort(service?.reason);
  if (service?.aborted) onServiceAbort();
  else service?.addEventListener('abort', onServiceAbort, { once: true });
  const unsubscribe =
    cancellations?.onCancel(syncId, (request) => {
      if (!controller.signal.aborted) controller.abort(new SyncCancelledError(request));
    }) ?? (() => undefined);
  return {
    signal: controller.signal,
    release() {
      service?.removeEventListener('abort', onServiceAbort);
      unsubscribe();
    },
  };
}
