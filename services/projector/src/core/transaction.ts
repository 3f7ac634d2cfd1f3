import type { Pool, PoolClient } from 'pg';
import { retriableDbError, withTransaction } from '@tributary/db';

/** Clients that already carry the guard below (one listener per pooled connection, never more). */
const guarded = new WeakSet<PoolClient>();

/**
 * A connection lost while checked out (the backend terminated, the server restarted) fails the
 * query in flight, and then node-postgres emits 'error' on the client; the pool listens only while
 * the client is idle, so an unheard 'error' would crash the process instead of the batch being
 * retried. The failure itself reaches the transaction through its queries.
 */
function guard(client: PoolClient): void {
  if (guarded.has(client)) return;
  guarded.add(client);
  client.on('error', () => undefined);
}

/**
 * One projector transaction (`withTransaction`), its transient PostgreSQL failures (a lost
 * connection, a serialization failure, a deadlock, exhausted resources: classifyDbFailure) thrown
 * as retriable DependencyErrors, so the consumer runtime retries the batch with backoff and never
 * dead-letters it. Anything else is thrown as it came and stops the consumer.
 */
export async function projectorTransaction<R>(pool: Pool, fn: (tx: PoolClient) => Promise<R>): Promise<R> {
  try {
    return await withTransaction(pool, (tx) => {
      guard(tx);
      return fn(tx);
    });
  } catch (err) {
    throw retriableDbError(err);
  }
}
