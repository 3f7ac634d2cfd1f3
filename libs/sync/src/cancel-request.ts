import { SyncCancelRequestedContract, type Source, type SyncCancelRequested } from '@tributary/contracts';
import type { OutgoingRecord } from '@tributary/kafka';

/** What a cancel would act on (`findCancelTarget` of @tributary/read-model answers this shape). */
export type CancelTargetLike =
  | { syncId: string; source: Source; state: 'queued' | 'running' }
  | { syncId: string; source: Source; state: 'ended'; status: string };

/** What to answer a cancel: unknown (404), already ended (409), or requested (202) with its command. */
export type CancelDecision =
  | { outcome: 'unknown'; syncId: string }
  | { outcome: 'ended'; syncId: string; source: Source; status: string }
  | {
      outcome: 'requested';
      syncId: string;
      source: Source;
      state: 'queued' | 'running';
      command: SyncCancelRequested;
    };

/**
 * Decides a cancel of `syncId` (pure; the admin API and the CLI both answer with it, ADR 0017): a run
 * still queued or running gets a SyncCancelRequested to publish; asking again while it runs asks again
 * (harmless: the ingest keeps the first).
 */
export function decideCancel(
  syncId: string,
  target: CancelTargetLike | null,
  requestedBy: string,
  now: Date,
): CancelDecision {
  if (!target) return { outcome: 'unknown', syncId };
  if (target.state === 'ended')
    return { outcome: 'ended', syncId, source: target.source, status: target.status };
  return {
    outcome: 'requested',
    syncId,
    source: target.source,
    state: target.state,
    command: {
      type: 'SyncCancelRequested',
      version: 1,
      syncId,
      source: target.source,
      requestedBy,
      requestedAt: now.toISOString(),
    },
  };
}

/** The record of a cancel on `sync.control`, keyed by its syncId. */
export function cancelRequestRecord(command: SyncCancelRequested): OutgoingRecord<SyncCancelRequested> {
  return { contract: SyncCancelRequestedContract, key: command.syncId, value: command };
}
