import type { PoolClient } from 'pg';
import { classifyDbFailure } from '@tributary/db';

/** An item PostgreSQL refused on its own, with the error it refused it with. */
export interface Refusal<T> {
  item: T;
  error: unknown;
}

export interface Isolated<T, R> {
  /** The result of each part that was applied, in order. */
  results: R[];
  /** The items that fail even alone, in order. */
  refused: Refusal<T>[];
}

const SAVEPOINT = 'tributary_isolate';

/**
 * Applies `items` inside the caller's transaction, isolating what PostgreSQL refuses: `apply` runs
 * under a SAVEPOINT; when it fails with a data error (classifyDbFailure: SQLSTATE class 22, 23 or
 * 54000), the savepoint is rolled back and each half of the items (in order) is applied the same
 * way, down to the single item, which is refused. The rest is applied; nothing of a refused part
 * remains. Any other error is rethrown: the transaction is lost (a transient error is retried by
 * the caller, anything else stops it).
 *
 * With no refusal this costs one SAVEPOINT and one RELEASE; with k refused items among n, about
 * 2·k·log2(n) more attempts.
 */
export async function applyIsolating<T, R>(
  db: PoolClient,
  items: readonly T[],
  apply: (part: readonly T[]) => Promise<R>,
): Promise<Isolated<T, R>> {
  const out: Isolated<T, R> = { results: [], refused: [] };
  const attempt = async (part: readonly T[]): Promise<void> => {
    await db.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      out.results.push(await apply(part));
      await db.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return;
    } catch (err) {
      if (classifyDbFailure(err) !== 'data') throw err;
      await db.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await db.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      if (part.length <= 1) {
        if (part.length === 1) out.refused.push({ item: part[0]!, error: err });
        return;
      }
    }
    const half = Math.ceil(part.length / 2);
    await attempt(part.slice(0, half));
    await attempt(part.slice(half));
  };
  await attempt(items);
  return out;
}
