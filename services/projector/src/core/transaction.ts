import type { Pool, PoolClient } from 'pg';
import { retriableDbError, withTransaction } from '@tributary/db';

/**
 * One projector transaction (`withTransaction`), its transient PostgreSQL failures (a lost
 * connection, a serialization failure, a deadlock, exhausted resources: classifyDbFailure) thrown
 * as retriable DependencyErrors, so the consumer runtime retries the batch with backoff and never
 * dead-letters it. Anything else is thrown as it came and stops the consumer.
 */
export async function projectorTransaction<R>(pool: Pool, fn: (tx: PoolClient) => Promise<R>): Promise<R> {
  try {
    return await withTransaction(pool, fn);
  } catch (err) {
    throw retriableDbError(err);
  }
}
