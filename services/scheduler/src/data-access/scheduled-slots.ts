import type { Pool } from 'pg';
import type { SyncRequested } from '@tributary/contracts';
import { withTransaction } from '@tributary/db';
import { scheduledSlotKey } from '../domain/leadership';
import { holdsLease } from './leases';

/** What publishing a slot's commands once came to. */
export type SlotPublishResult =
  | { outcome: 'published'; published: SyncRequested[]; alreadyFired: SyncRequested[] }
  /** The lease is not (or no longer) ours: nothing claimed, nothing sent. */
  | { outcome: 'not_leader' };

/**
 * Publishes the commands of one scheduled slot at most once across replicas and handovers, in one
 * transaction: the lease must still be `holder`'s (the server's clock), then each command's slot
 * (slot/source/mode) is claimed in `tributary_cron_slots` (the table that makes the cron endpoint
 * idempotent); the commands whose slot another replica already claimed are dropped, the others
 * published, and the claims commit only once Kafka acknowledged them (a failed publish leaves the
 * slot free for the retry). A replica that claims a slot while another's claim is uncommitted waits
 * for it, then finds the slot taken.
 */
export async function publishOncePerSlot(
  pool: Pool,
  lease: { name: string; holder: string },
  slotAt: Date,
  commands: readonly SyncRequested[],
  publish: (commands: SyncRequested[]) => Promise<void>,
): Promise<SlotPublishResult> {
  return withTransaction(pool, async (client) => {
    if (!(await holdsLease(client, lease.name, lease.holder))) return { outcome: 'not_leader' };
    const published: SyncRequested[] = [];
    const alreadyFired: SyncRequested[] = [];
    for (const command of commands) {
      const { rowCount } = await client.query(
        `INSERT INTO tributary_cron_slots (slot_key, sync_id) VALUES ($1, $2) ON CONFLICT (slot_key) DO NOTHING`,
        [scheduledSlotKey(slotAt, command.source, command.mode), command.syncId],
      );
      (rowCount === 1 ? published : alreadyFired).push(command);
    }
    if (published.length > 0) await publish(published);
    return { outcome: 'published', published, alreadyFired };
  });
}
