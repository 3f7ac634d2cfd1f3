import { escapeIdentifier, type Pool } from 'pg';
import { errorMessage } from '@tributary/core';
import type { Logger, Metrics } from '@tributary/observability';

export interface FreshnessMetricsOptions {
  pool: Pool;
  metrics: Metrics;
  logger: Logger;
  /** Milliseconds since the epoch (tests pass one). */
  now?: () => number;
  /** Oldest sync_log answer a scrape may show, default 15 s. */
  syncLogMaxAgeMs?: number;
  /** Oldest max(synced_at) answer a scrape may show, default 60 s (each is a scan of every read-model table). */
  tablesMaxAgeMs?: number;
  /** A scrape waits at most this long for a refresh, then shows the last answer, default 3 s. */
  waitMs?: number;
}

/**
 * The freshness gauges, computed on scrape from PostgreSQL, so that they are right after a restart and
 * need nothing from the write path:
 *
 * - `tributary_last_successful_sync_timestamp_seconds{source,entity}`: the latest `completed_at` of a
 *   `completed` sync_log row (fetched by the ingest and every record projected), one grouped query;
 * - `tributary_newest_row_age_seconds{table}`: now - max(synced_at) of each read-model table (every
 *   table of the schema with a `synced_at` column); the age moves on every scrape, the max is re-read
 *   at most every `tablesMaxAgeMs`.
 *
 * A scrape never fails for them: a slow or failing query leaves the last values (logged at most once a
 * minute), and at most one refresh of each runs at a time.
 */
export function registerFreshnessMetrics(o: FreshnessMetricsOptions): void {
  const now = o.now ?? Date.now;
  const waitMs = o.waitMs ?? 3_000;
  let lastWarning = -Infinity;
  const warn = (what: string, err: unknown): void => {
    if (now() - lastWarning < 60_000) return;
    lastWarning = now();
    o.logger.warn('metrics.collect_failed', `freshness metrics: ${what} not read: ${errorMessage(err)}`, {
      error: err,
    });
  };

  const lastSync = cachedQuery(
    now,
    o.syncLogMaxAgeMs ?? 15_000,
    waitMs,
    (err) => warn('sync_log', err),
    async () => {
      const { rows } = await o.pool.query<{ source: string; entity: string; at: number }>(
        `SELECT source, entity_type AS entity, extract(epoch FROM max(completed_at))::float8 AS at
       FROM sync_log WHERE status = 'completed' AND completed_at IS NOT NULL GROUP BY source, entity_type`,
      );
      return rows;
    },
  );
  const newestRows = cachedQuery(
    now,
    o.tablesMaxAgeMs ?? 60_000,
    waitMs,
    (err) => warn('max(synced_at)', err),
    async () => {
      const tables = await o.pool.query<{ table: string }>(
        `SELECT c.table_name AS table FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND c.column_name = 'synced_at' AND t.table_type = 'BASE TABLE'
       ORDER BY 1`,
      );
      if (tables.rows.length === 0) return [];
      const { rows } = await o.pool.query<{ table: string; at: number | null }>(
        tables.rows
          .map(
            (t, i) =>
              `SELECT $${i + 1}::text AS table, extract(epoch FROM max(synced_at))::float8 AS at FROM ${escapeIdentifier(t.table)}`,
          )
          .join(' UNION ALL '),
        tables.rows.map((t) => t.table),
      );
      return rows;
    },
  );

  o.metrics.collectedGauge('tributary_last_successful_sync_timestamp_seconds', async (gauge) => {
    const rows = await lastSync();
    if (!rows) return;
    gauge.reset();
    for (const r of rows) gauge.set({ source: r.source, entity: r.entity }, r.at);
  });
  o.metrics.collectedGauge('tributary_newest_row_age_seconds', async (gauge) => {
    const rows = await newestRows();
    if (!rows) return;
    gauge.reset();
    const seconds = now() / 1000;
    for (const r of rows) if (r.at !== null) gauge.set({ table: r.table }, Math.max(0, seconds - r.at));
  });
}

/**
 * `read`'s last answer, refreshed when older than `maxAgeMs`; a caller waits at most `waitMs` for a
 * refresh. Undefined until the first answer. At most one `read` runs at a time.
 */
export function cachedQuery<T>(
  now: () => number,
  maxAgeMs: number,
  waitMs: number,
  onError: (err: unknown) => void,
  read: () => Promise<T>,
): () => Promise<T | undefined> {
  let value: T | undefined;
  let readAt = -Infinity;
  let running: Promise<void> | undefined;
  return async () => {
    if (now() - readAt >= maxAgeMs && !running) {
      running = read()
        .then((v) => {
          value = v;
          readAt = now();
        })
        .catch(onError)
        .finally(() => {
          running = undefined;
        });
    }
    if (running) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    return value;
  };
}
