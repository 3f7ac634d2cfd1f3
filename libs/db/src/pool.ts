import { DependencyError, errorMessage, TributaryError } from '@tributary/core';
import type { Logger } from '@tributary/observability';
import { Pool, type PoolClient } from 'pg';

export interface PoolOptions {
  /** Most connections the pool opens (pg default 10). */
  max?: number;
  /** Shown in pg_stat_activity, so a connection can be traced to its service. */
  applicationName?: string;
  /** Sets `search_path` on every connection (tests put each in its own schema). */
  searchPath?: string;
  /** How long to wait for a connection before failing, default 10000 ms (pg's default is forever). */
  connectionTimeoutMs?: number;
  /**
   * Plans every parameterized statement once per connection (`plan_cache_mode =
   * force_generic_plan`): for a pool that sends a few small statements very often, whose plan does
   * not depend on the values (lookups by key), where PostgreSQL would otherwise plan each one anew.
   */
  genericPlans?: boolean;
  /** Where errors of idle connections are logged; without it they are ignored (the pool replaces them). */
  logger?: Logger;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** A pg Pool for `databaseUrl`. An idle connection's error is logged instead of crashing the process. */
export function createPool(databaseUrl: string, options: PoolOptions = {}): Pool {
  if (options.searchPath !== undefined) {
    for (const schema of options.searchPath.split(',').map((s) => s.trim())) {
      if (!IDENTIFIER.test(schema)) {
        throw new TributaryError(
          'DB_BAD_SEARCH_PATH',
          `search path entry "${schema}" is not a plain identifier`,
        );
      }
    }
  }
  const settings = [
    ...(options.searchPath === undefined ? [] : [`-c search_path=${options.searchPath.replace(/\s/g, '')}`]),
    ...(options.genericPlans ? ['-c plan_cache_mode=force_generic_plan'] : []),
  ];
  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.max,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    ...(settings.length === 0 ? {} : { options: settings.join(' ') }),
  });
  pool.on('error', (err) => {
    options.logger?.warn('db.pool.error', `idle PostgreSQL connection failed: ${err.message}`, { err });
  });
  return pool;
}

/** The statements deferred to the COMMIT of each transaction of `withTransaction` under way. */
const commitTails = new WeakMap<PoolClient, string[]>();

/**
 * Defers `sql` (complete SQL, no parameters: its values as literals, `client.escapeLiteral`) to the
 * commit of the `withTransaction` transaction running on `client`: sent with the COMMIT in one
 * simple query, in the order deferred, one round trip for them all. Should one fail, nothing after
 * it runs, the transaction is rolled back and its error thrown by `withTransaction`. Returns false
 * (nothing deferred: run it now) outside such a transaction. Only for a statement whose effect no
 * savepoint may roll back, and whose result nobody reads.
 */
export function deferToCommit(client: PoolClient, sql: string): boolean {
  const tail = commitTails.get(client);
  if (tail === undefined) return false;
  tail.push(sql);
  return true;
}

/**
 * Runs `work` in one transaction on one pooled connection: BEGIN, then COMMIT if it resolves (with
 * the statements deferred to it, deferToCommit), ROLLBACK if it throws (the error is rethrown). The
 * connection is always released; one whose ROLLBACK failed is destroyed rather than returned to the pool.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const tail: string[] = [];
  commitTails.set(client, tail);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    commitTails.delete(client);
    await client.query(tail.length === 0 ? 'COMMIT' : `${tail.join(';\n')};\nCOMMIT`);
    return result;
  } catch (err) {
    commitTails.delete(client);
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(errorMessage(rollbackError));
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/** For readiness checks: resolves when PostgreSQL answers `SELECT 1`, else a retriable DependencyError. */
export async function pingDb(pool: Pool): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    throw new DependencyError('DB_UNAVAILABLE', `PostgreSQL did not answer: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}
