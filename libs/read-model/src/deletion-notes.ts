import type { PoolClient } from 'pg';

/**
 * What a complete full sync of an entity did about deletions (ADR 0018), on its sync_log row beside
 * its counts: how many rows it marked deleted (null when it marked none because of `note`), and why
 * it marked nothing (over the ratio guard, records of the run failed) or how many it marked.
 */
export async function noteDeletions(
  db: PoolClient,
  syncId: string,
  entity: string,
  deleted: number | null,
  note: string | null,
): Promise<void> {
  await db.query(
    `UPDATE sync_log SET records_deleted = $3, deletion_note = $4 WHERE sync_id = $1 AND entity_type = $2`,
    [syncId, entity, deleted, note],
  );
}
