import { join } from 'node:path';
import type { Pool } from 'pg';
import { DependencyError, errorMessage } from '@tributary/core';
import { migrate } from '@tributary/db';
import type { Logger } from '@tributary/observability';
import type { ClaimOutcome, DedupStore, DedupTimes } from '../domain/dedup-store';
import { batched, batchedVoid } from './batched';

/** The gateway's own migrations (the dedup table), recorded apart from the projector's. */
export const GATEWAY_MIGRATIONS = join(__dirname, '..', '..', 'migrations');
export const GATEWAY_MIGRATIONS_TABLE = 'webhook_gateway_migrations';

/** Applies the gateway's migrations (advisory lock: replicas starting together apply each once). */
export async function migrateGateway(pool: Pool, logger?: Logger): Promise<void> {
  await migrate(pool, GATEWAY_MIGRATIONS, { table: GATEWAY_MIGRATIONS_TABLE, logger });
}

/**
 * One statement claims a batch of ids (sorted, so two replicas lock rows in one order): an id no one
 * holds, or whose row no longer stands (accepted before the window, or claimed before the claim
 * timeout), is taken; for the others the row's state says why not. The lookup reads the snapshot from
 * before the insert, so a row this statement inserted shows as claimed; a row another transaction
 * inserted concurrently shows as nothing, which is read as pending.
 *
 * The row of each id is read by a subquery per id, not a join: the statement's generic plan is made
 * once per connection (genericPlans), often while the table is still empty, and a join was then planned
 * as a hash join over a sequential scan of the whole table, kept as the table grew (ADR 0023,
 * addendum 11). A probe of the primary key is the cheaper plan at any size the planner may assume.
 */
const CLAIM_SQL = `
WITH input AS (SELECT DISTINCT id FROM unnest($1::text[]) AS id ORDER BY id),
claim AS (
  INSERT INTO webhook_dedup AS d (delivery_id, state, claimed_by, claimed_at)
  SELECT id, 'pending', $2, now() FROM input ORDER BY id
  ON CONFLICT (delivery_id) DO UPDATE
    SET state = 'pending', claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at, accepted_at = NULL
    WHERE (d.state = 'accepted' AND d.accepted_at < now() - $3::float8 * interval '1 millisecond')
       OR (d.state = 'pending' AND d.claimed_at < now() - $4::float8 * interval '1 millisecond')
  RETURNING delivery_id
)
SELECT i.id, CASE WHEN c.delivery_id IS NOT NULL THEN 'claimed'
  ELSE coalesce((SELECT d.state FROM webhook_dedup d WHERE d.delivery_id = i.id), 'pending') END AS outcome
FROM input i
LEFT JOIN claim c ON c.delivery_id = i.id`;

const ACCEPT_SQL = `UPDATE webhook_dedup SET state = 'accepted', accepted_at = now()
  WHERE delivery_id = ANY($1::text[]) AND claimed_by = $2`;

const RELEASE_SQL = `DELETE FROM webhook_dedup WHERE delivery_id = ANY($1::text[]) AND claimed_by = $2 AND state = 'pending'`;

export interface PgDedupStoreOptions extends DedupTimes {
  pool: Pool;
  /** This replica (the instance id): only the claimant marks or releases its claim. */
  owner: string;
}

function dedupFailed(what: string, err: unknown): DependencyError {
  return new DependencyError('WEBHOOK_DEDUP_FAILED', `webhook dedup ${what} failed: ${errorMessage(err)}`, {
    cause: err,
  });
}

/**
 * The dedup table in PostgreSQL, shared by every replica; claims and marks are batched. The three
 * statements are named (prepared once per connection): at 1,000 deliveries/s the gateway sends
 * several hundred a second, and PostgreSQL spent more time planning the claim (~150 µs) than
 * running it (ADR 0023, addendum 10).
 */
export function createPgDedupStore(options: PgDedupStoreOptions): DedupStore & { purge(): Promise<number> } {
  const { pool, owner } = options;
  const claim = batched<ClaimOutcome>(async (ids) => {
    try {
      const res = await pool.query<{ id: string; outcome: ClaimOutcome }>({
        name: 'webhook-dedup-claim',
        text: CLAIM_SQL,
        values: [ids, owner, options.windowMs, options.claimTimeoutMs],
      });
      return new Map(res.rows.map((r) => [r.id, r.outcome]));
    } catch (err) {
      throw dedupFailed('claim', err);
    }
  });
  const accepted = batchedVoid(async (ids) => {
    try {
      await pool.query({ name: 'webhook-dedup-accept', text: ACCEPT_SQL, values: [ids, owner] });
    } catch (err) {
      throw dedupFailed('accept', err);
    }
  });
  const release = batchedVoid(async (ids) => {
    try {
      await pool.query({ name: 'webhook-dedup-release', text: RELEASE_SQL, values: [ids, owner] });
    } catch (err) {
      throw dedupFailed('release', err);
    }
  });
  return {
    claim,
    accepted,
    release,
    /** Deletes rows past the window (at most 10,000 per call); returns how many. */
    async purge() {
      const res = await pool.query(
        `DELETE FROM webhook_dedup WHERE delivery_id IN (
           SELECT delivery_id FROM webhook_dedup
           WHERE claimed_at < now() - greatest($1::float8, $2::float8) * interval '1 millisecond'
             AND (state = 'pending' OR accepted_at < now() - $1::float8 * interval '1 millisecond')
           LIMIT 10000)`,
        [options.windowMs, options.claimTimeoutMs],
      );
      return res.rowCount ?? 0;
    },
  };
}
