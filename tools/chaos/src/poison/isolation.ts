import type { Pool } from 'pg';
import { failedEntities, settledRuns } from '../check/repcard';
import { describeTally, type Tally } from '../check/tally';
import { untilExact } from '../recover';

export interface IsolationCheck {
  pool: Pool;
  /** The full sync that fetched the poison. */
  syncId: string;
  /** When it was requested (ms since the epoch). */
  since: number;
  short: boolean;
  /** The read model against the source as served with the poison. */
  check: () => Promise<Tally>;
  notes: string[];
  fail: (line: string) => void;
}

/**
 * While the poison is served: waits for everything else to be exact and the run to settle, notes how
 * long that took, and fails the case if it never did or if an entity of the run failed (the records
 * after the poison would then be missing). Returns the last tally.
 */
export async function untilPoisonIsolated(c: IsolationCheck): Promise<{ tally: Tally }> {
  const isolated = await untilExact(
    async () => {
      const t = await c.check();
      return (await settledRuns(c.pool, [c.syncId])).size
        ? t
        : { ...t, differs: t.differs + 1, samples: ['run not settled', ...t.samples] };
    },
    { since: c.since, timeoutMs: c.short ? 120_000 : 240_000 },
  );
  if (isolated.recoverMs === undefined)
    c.fail(`with the poison served, the rest never became exact: ${describeTally(isolated.tally)}`);
  else
    c.notes.push(
      `poison isolated: everything else exact ${(isolated.recoverMs / 1000).toFixed(1)} s after the sync was requested`,
    );
  for (const f of await failedEntities(c.pool, c.syncId))
    c.fail(
      `an entity of the poisoned sync failed (the records after the poison are not synced): ${f.slice(0, 240)}`,
    );
  return { tally: isolated.tally };
}
