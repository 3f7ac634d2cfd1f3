import type { Pool, PoolClient } from 'pg';

/** The lease the scheduler's replicas compete for: its holder fires the scheduled slots (ADR 0019). */
export const CRON_LEASE = 'scheduler.cron';

export type LeaseAttempt = { held: true; term: number } | { held: false; holder: string | null };

/**
 * Takes the lease `name` for `holder`, or renews it, for `leaseMs` from now (the server's clock):
 * succeeds when nobody holds it, `holder` already does, or the holder's lease ran out. One
 * statement, so two replicas trying at once cannot both succeed.
 */
export async function acquireLease(
  db: Pool | PoolClient,
  name: string,
  holder: string,
  leaseMs: number,
): Promise<LeaseAttempt> {
  const { rows } = await db.query<{ term: string }>(
    `INSERT INTO tributary_leases AS l (name, holder, term, acquired_at, renewed_at, expires_at)
     VALUES ($1, $2, 1, now(), now(), now() + make_interval(secs => $3::double precision / 1000))
     ON CONFLICT (name) DO UPDATE SET
       holder = EXCLUDED.holder,
       term = CASE WHEN l.holder = EXCLUDED.holder THEN l.term ELSE l.term + 1 END,
       acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE now() END,
       renewed_at = now(),
       expires_at = EXCLUDED.expires_at
     WHERE l.holder = EXCLUDED.holder OR l.expires_at <= now()
     RETURNING term`,
    [name, holder, leaseMs],
  );
  if (rows[0]) return { held: true, term: Number(rows[0].term) };
  const current = await db.query<{ holder: string }>(
    `SELECT holder FROM tributary_leases WHERE name = $1 AND expires_at > now()`,
    [name],
  );
  return { held: false, holder: current.rows[0]?.holder ?? null };
}

/** Gives the lease up (a replica stopping), so a standby takes it at its next try. */
export async function releaseLease(db: Pool | PoolClient, name: string, holder: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM tributary_leases WHERE name = $1 AND holder = $2`, [
    name,
    holder,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Whether `holder` holds an unexpired lease `name` now (the server's clock). */
export async function holdsLease(db: Pool | PoolClient, name: string, holder: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM tributary_leases WHERE name = $1 AND holder = $2 AND expires_at > now()`,
    [name, holder],
  );
  return rows.length > 0;
}
