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

/** Transactions in their optimistic attempt: applyIsolating sets no savepoint in them. */
const optimistic = new WeakSet<PoolClient>();

/**
 * Thrown by applyIsolating in an optimistic attempt when PostgreSQL refused a part with a data
 * error: the transaction is lost, and `optimisticTransaction` runs it again with savepoints.
 */
export class IsolationNeeded extends Error {
  constructor(readonly refusal: unknown) {
    super('a record was refused: the transaction is run again with savepoints');
    this.name = 'IsolationNeeded';
  }
}

/**
 * Runs `fn` in a transaction of `begin`, first without savepoints (two statements fewer per
 * projection, on the live path a quarter of a small transaction's round trips), and, only when
 * PostgreSQL refused a record in it (IsolationNeeded, after `begin` rolled it back), once more
 * with applyIsolating's savepoints, which isolate the refused record. Nothing of the first attempt
 * remains: `fn` must do nothing outside the transaction before its projections ran (the consumer
 * runtime publishes dead letters after them).
 */
export async function optimisticTransaction<R>(
  begin: (fn: (tx: PoolClient) => Promise<R>) => Promise<R>,
  fn: (tx: PoolClient) => Promise<R>,
): Promise<R> {
  try {
    return await begin(async (tx) => {
      optimistic.add(tx);
      try {
        return await fn(tx);
      } finally {
        optimistic.delete(tx);
      }
    });
  } catch (err) {
    if (!(err instanceof IsolationNeeded)) throw err;
    return begin(fn);
  }
}

/**
 * Applies `items` inside the caller's transaction, isolating what PostgreSQL refuses: `apply` runs
 * under a SAVEPOINT; when it fails with a data error (classifyDbFailure: SQLSTATE class 22, 23 or
 * 54000), the savepoint is rolled back and each half of the items (in order) is applied the same
 * way, down to the single item, which is refused. The rest is applied; nothing of a refused part
 * remains. Any other error is rethrown: the transaction is lost (a transient error is retried by
 * the caller, anything else stops it).
 *
 * With no refusal this costs one SAVEPOINT and one RELEASE; with k refused items among n, about
 * 2·k·log2(n) more attempts. In the optimistic attempt of `optimisticTransaction`, `apply` runs
 * once on all items, with no savepoint, and a data error is thrown as IsolationNeeded.
 */
export async function applyIsolating<T, R>(
  db: PoolClient,
  items: readonly T[],
  apply: (part: readonly T[]) => Promise<R>,
): Promise<Isolated<T, R>> {
  if (optimistic.has(db)) {
    try {
      return { results: [await apply(items)], refused: [] };
    } catch (err) {
      throw classifyDbFailure(err) === 'data' ? new IsolationNeeded(err) : err;
    }
  }
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
