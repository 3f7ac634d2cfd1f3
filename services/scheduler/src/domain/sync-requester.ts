import type { Pool } from 'pg';
import type { SyncRequested } from '@tributary/contracts';
import {
  findActiveSync,
  findCronSlot,
  insertCronSlot,
  insertSyncRequest,
  withSourceLock,
} from '../data-access/sync-requests';

/** How a request ended: a new sync, or the one already queued or running (coalesced). */
export interface SyncRequestOutcome {
  syncId: string;
  status: 'requested' | 'queued' | 'running';
  /** True when the source already had a sync to come or under way: that one's id is answered. */
  coalesced: boolean;
  /** True when this cron slot was already called: the same answer, nothing requested. */
  duplicate: boolean;
  /** The command published, when one was. */
  command?: SyncRequested;
}

export interface SyncRequester {
  /**
   * Publishes `command` unless its source has a queued or running sync (then answers that one), all
   * under the source's lock; with `cronSlot`, a slot already called answers what it got then.
   * The request row commits only once Kafka acknowledged the command.
   */
  request(command: SyncRequested, options?: { cronSlot?: string }): Promise<SyncRequestOutcome>;
}

export function createSyncRequester(options: {
  pool: Pool;
  publish(command: SyncRequested): Promise<void>;
  queuedTimeoutMinutes: number;
}): SyncRequester {
  const { pool, publish, queuedTimeoutMinutes } = options;
  return {
    request: (command, { cronSlot } = {}) =>
      withSourceLock(pool, command.source, async (client) => {
        if (cronSlot !== undefined) {
          const earlier = await findCronSlot(client, cronSlot);
          if (earlier !== null)
            return { syncId: earlier, status: 'requested', coalesced: false, duplicate: true };
        }
        const active = await findActiveSync(client, command.source, queuedTimeoutMinutes);
        let outcome: SyncRequestOutcome;
        if (active) {
          outcome = { syncId: active.syncId, status: active.status, coalesced: true, duplicate: false };
        } else {
          await insertSyncRequest(client, command);
          await publish(command);
          outcome = {
            syncId: command.syncId,
            status: 'requested',
            coalesced: false,
            duplicate: false,
            command,
          };
        }
        if (cronSlot !== undefined) await insertCronSlot(client, cronSlot, outcome.syncId);
        return outcome;
      }),
  };
}
