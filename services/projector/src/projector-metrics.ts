import type { Pool } from 'pg';
import type { Logger, Metrics } from '@tributary/observability';
import { registerFreshnessMetrics } from './freshness-metrics';
import { projectedTopics, sweptTables } from './projections';

/**
 * The projector's metrics set up at start: the DLQ counter of every projected topic and reason at 0
 * (so `increase()` sees the first dead letter after a start), the deletion sweep counters of every
 * entity table at 0 (ADR 0018), and the freshness gauges computed on
 * scrape from PostgreSQL (freshness-metrics.ts).
 */
export function registerProjectorMetrics(o: { pool: Pool; metrics: Metrics; logger: Logger }): void {
  o.metrics.preset('tributary_dlq_messages_total', { topic: projectedTopics() });
  o.metrics.preset('tributary_projector_deletion_sweeps_total', { table: sweptTables() });
  o.metrics.preset('tributary_projector_rows_deleted_total', { table: sweptTables() });
  registerFreshnessMetrics(o);
}
