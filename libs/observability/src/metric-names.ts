/**
 * The metric catalog (STYLE.md habit 4): every metric the project exports is declared here once, with
 * its kind, help text and label names. `createMetrics()` only creates metrics named here, and the
 * TypeScript types derived below make `metrics.counter('tributary_...')` check the name, the kind and
 * the label names at compile time. Every name starts with `tributary_`; the `service` label is added to
 * every series by the registry, so it is never declared here.
 *
 * Counters at 0 (`Metrics.preset`, metrics.ts): `increase()` only sees a counter's first increment
 * if the series existed at 0 before it, so a service creates at start, at 0, every label set it can
 * emit. A label whose values are fixed by the code (an outcome, a reason) lists them here in `values`;
 * labels whose values are domain data or configuration (source, entity, mode, topic) are given by the
 * caller, which knows them from @tributary/contracts or its config. Where each service presets:
 *   - ingest (libs/sync `syncCommandHandler`): sync runs, records fetched, requests held back;
 *   - projector (services/projector `presetProjectorMetrics`): DLQ messages of its topics;
 *   - scheduler (cron loop): scheduled commands.
 *
 * Freshness (who sets what):
 *   - `tributary_last_successful_sync_timestamp_seconds` and `tributary_newest_row_age_seconds` are
 *     computed on scrape by the projector (services/projector/src/freshness-metrics.ts) from PostgreSQL:
 *     one grouped query on sync_log (at most every 15 s) and one max(synced_at) per read-model table
 *     (at most every 60 s); right after a restart, absent until an entity's first successful sync.
 *   - `tributary_schedule_next_run_timestamp_seconds` / `..._last_fired_...` are the scheduler's cron loop.
 */

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly kind: MetricKind;
  readonly help: string;
  readonly labels: readonly string[];
  /** Histogram buckets (seconds); the default is `DURATION_BUCKETS`. */
  readonly buckets?: readonly number[];
  /** Every value of a label that the code fixes (outcomes, reasons): what `Metrics.preset` creates at 0. */
  readonly values?: Readonly<Record<string, readonly string[]>>;
}

/** Latency buckets for request-sized work (5 ms .. 30 s). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
/** Buckets for long-running work such as a whole sync (1 s .. 2 h). */
export const LONG_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200] as const;

export const METRICS = {
  // --- HTTP (every service: /healthz, /readyz, /metrics and its own routes) ---
  tributary_http_requests_total: {
    kind: 'counter',
    help: 'HTTP requests served, by method, route template (not raw path) and status code.',
    labels: ['method', 'route', 'status'],
  },
  tributary_http_request_duration_seconds: {
    kind: 'histogram',
    help: 'Time from request received to response finished, by method, route template and status code.',
    labels: ['method', 'route', 'status'],
  },

  // --- Kafka ---
  tributary_kafka_messages_produced_total: {
    kind: 'counter',
    help: 'Messages written to Kafka (counted when the produce or the transaction is acknowledged).',
    labels: ['topic'],
  },
  tributary_kafka_messages_consumed_total: {
    kind: 'counter',
    help: 'Messages processed by a consumer group (counted when their batch is done).',
    labels: ['topic', 'group'],
  },
  tributary_kafka_consumer_batch_duration_seconds: {
    kind: 'histogram',
    help: 'Time to process one fetched batch, from handler start to offsets committed.',
    labels: ['topic', 'group'],
  },
  tributary_kafka_consumer_lag: {
    kind: 'gauge',
    help: 'Messages between the high watermark and the committed offset of a partition.',
    labels: ['topic', 'partition', 'group'],
  },
  tributary_kafka_transactions_total: {
    kind: 'counter',
    help: 'Kafka producer transactions finished, by outcome (committed | aborted).',
    labels: ['outcome'],
    values: { outcome: ['committed', 'aborted'] },
  },
  tributary_dlq_messages_total: {
    kind: 'counter',
    help: 'Records routed to a dead-letter topic, by source topic and reason (decode | handler).',
    labels: ['topic', 'reason'],
    values: { reason: ['decode', 'handler'] },
  },
  tributary_dlq_messages_replayed_total: {
    kind: 'counter',
    help: 'Records taken from a dead-letter topic and produced back to their origin topic.',
    labels: ['topic'],
  },
  tributary_dlq_limit_tripped: {
    kind: 'gauge',
    help: 'Whether a consumer group is held stopped by its DLQ limit (1) or runs (0); it stays 1 across restarts until `tributary dlq reset-limit`.',
    labels: ['group'],
  },

  // --- Projector (Kafka -> PostgreSQL read models) ---
  tributary_projector_rows_upserted_total: {
    kind: 'counter',
    help: 'Read-model rows written, by table and outcome (inserted | updated | unchanged; unchanged includes stale versions).',
    labels: ['table', 'outcome'],
  },
  tributary_projector_rows_deleted_total: {
    kind: 'counter',
    help: 'Read-model rows marked deleted (deleted_at) because a complete full sync of their entity did not see them (ADR 0018).',
    labels: ['table'],
  },
  tributary_projector_deletion_sweeps_total: {
    kind: 'counter',
    help: 'Deletion sweeps after a complete full sync of an entity, by table and outcome (marked = unseen rows marked deleted, possibly none | skipped = nothing marked: over the ratio guard, or records of the run failed).',
    labels: ['table', 'outcome'],
    values: { outcome: ['marked', 'skipped'] },
  },
  tributary_projector_deletion_events_total: {
    kind: 'counter',
    help: 'RecordDeleted events read from the entity topics and applied (ADR 0024); most find their row already marked by the sweep that published them.',
    labels: ['table'],
  },
  tributary_projector_deletion_events_published_total: {
    kind: 'counter',
    help: 'RecordDeleted events the deletion outbox relay published to the entity topics (ADR 0024).',
    labels: ['topic'],
  },
  tributary_projector_repairs_total: {
    kind: 'counter',
    help: 'Rows whose newer stored version a repair event (origin repair, `reconcile --repair`) was let past (ADR 0024).',
    labels: ['table'],
  },
  tributary_projector_drift_seen_total: {
    kind: 'counter',
    help: 'Observations of a full sync older than the stored version of their row: the source answered older than what is stored (drift, ADR 0024).',
    labels: ['table'],
  },
  tributary_projector_batch_duration_seconds: {
    kind: 'histogram',
    help: 'Time of one projector transaction (the batches of one or more partitions and topics handed over together, ADR 0006), including its commit.',
    labels: [],
  },

  // --- Source APIs (RepCard, CuraGenesis) ---
  tributary_source_api_requests_total: {
    kind: 'counter',
    help: 'Requests sent to a source API, by source, endpoint template and HTTP status (or "error" without a response).',
    labels: ['source', 'endpoint', 'status'],
  },
  tributary_source_api_request_duration_seconds: {
    kind: 'histogram',
    help: 'Duration of one request to a source API, by source and endpoint template.',
    labels: ['source', 'endpoint'],
  },
  tributary_source_api_rate_limit_remaining: {
    kind: 'gauge',
    help: 'Last X-RateLimit-Remaining seen from a source API (the shared request budget left in this period).',
    labels: ['source'],
  },
  tributary_source_api_throttled_total: {
    kind: 'counter',
    help: 'Requests held back, by source and reason (429 = the API said so | budget = our own budget ran out).',
    labels: ['source', 'reason'],
    values: { reason: ['429', 'budget'] },
  },
  tributary_source_api_retries_total: {
    kind: 'counter',
    help: 'Requests to a source API retried after a retriable failure (429, 5xx, network error, open circuit), by source and endpoint template.',
    labels: ['source', 'endpoint'],
  },
  tributary_webhook_hints_total: {
    kind: 'counter',
    help: 'Records named by a webhook and re-fetched from the source (ADR 0026), by source, entity and outcome (found | absent: a removal confirmed | unknown: the source could not say, left to the next sync).',
    labels: ['source', 'entity', 'outcome'],
    values: { outcome: ['found', 'absent', 'unknown'] },
  },
  tributary_circuit_breaker_state: {
    kind: 'gauge',
    help: 'Circuit breaker state per source API: 0 closed, 1 half-open, 2 open.',
    labels: ['source'],
  },

  // --- Sync runs (ingest services, scheduler) ---
  tributary_sync_runs_total: {
    kind: 'counter',
    help: 'Sync runs finished, by source, mode (full | incremental) and outcome (completed | failed | skipped | cancelled; failed: at least one entity failed).',
    labels: ['source', 'mode', 'outcome'],
    values: { outcome: ['completed', 'failed', 'skipped', 'cancelled'] },
  },
  tributary_sync_records_fetched_total: {
    kind: 'counter',
    help: 'Records fetched from a source API by sync runs, by source and entity (counted as each page is committed to Kafka).',
    labels: ['source', 'entity'],
  },
  tributary_sync_run_duration_seconds: {
    kind: 'histogram',
    help: 'Time to sync one entity of a source in one run, from its first request to EntityCompleted or EntityFailed.',
    labels: ['source', 'entity'],
    buckets: LONG_DURATION_BUCKETS,
  },

  // --- Freshness (computed on scrape by the projector from PostgreSQL) ---
  tributary_last_successful_sync_timestamp_seconds: {
    kind: 'gauge',
    help: 'Unix time an entity of a source last completed a sync (fetched by the ingest and every record projected: sync_log status completed); absent before its first. Computed on scrape by the projector from sync_log.',
    labels: ['source', 'entity'],
  },
  tributary_newest_row_age_seconds: {
    kind: 'gauge',
    help: 'Seconds since the newest row of a read-model table was written (now - max(synced_at)); absent while the table is empty. Computed on scrape by the projector.',
    labels: ['table'],
  },

  // --- Webhooks ---
  tributary_webhook_deliveries_total: {
    kind: 'counter',
    help: 'Webhook deliveries received, by endpoint and outcome (accepted | duplicate | unauthorized | invalid | too_large | unsupported_media_type | shed: refused 429 above capacity | unavailable: 503, Kafka cannot take it | failed | abandoned: the sender hung up first).',
    labels: ['endpoint', 'outcome'],
  },
  tributary_webhook_to_kafka_seconds: {
    kind: 'histogram',
    help: 'Time from a webhook delivery received to its event acknowledged by Kafka.',
    labels: ['endpoint'],
  },

  // --- Scheduler (cron, admin API, dashboard) ---
  tributary_schedule_commands_total: {
    kind: 'counter',
    help: 'Sync commands the scheduler emitted on schedule, by source, mode (full | incremental) and outcome (published | failed | already_fired: another replica had requested that slot).',
    labels: ['source', 'mode', 'outcome'],
    values: { outcome: ['published', 'failed', 'already_fired'] },
  },
  tributary_scheduler_leader: {
    kind: 'gauge',
    help: 'Whether this scheduler replica leads (1) and so fires the scheduled slots, or stands by (0); ADR 0019. Summed over replicas: 1, except for at most the takeover bound during a handover.',
    labels: [],
  },
  tributary_schedule_next_run_timestamp_seconds: {
    kind: 'gauge',
    help: 'Unix time the slot the cron loop waits for is due, by mode (full | incremental); absent while the schedule is disabled. In the past by more than a minute: the slot is late (not fired).',
    labels: ['mode'],
  },
  tributary_schedule_last_fired_timestamp_seconds: {
    kind: 'gauge',
    help: 'Unix time (the slot, not the publish) of the last scheduled slot whose commands Kafka acknowledged, by mode; absent until the first since start.',
    labels: ['mode'],
  },
  tributary_admin_sync_requests_total: {
    kind: 'counter',
    help: 'Sync requests received by the admin API, by source, trigger (api | manual) and outcome (accepted | invalid | unauthorized | failed).',
    labels: ['source', 'trigger', 'outcome'],
  },
  tributary_sse_clients: {
    kind: 'gauge',
    help: 'Server-Sent Events streams (/api/events) open now: dashboards watching read-model changes live.',
    labels: [],
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;
type MetricsOfKind<K extends MetricKind> = {
  [N in MetricName]: (typeof METRICS)[N]['kind'] extends K ? N : never;
}[MetricName];
export type CounterName = MetricsOfKind<'counter'>;
export type GaugeName = MetricsOfKind<'gauge'>;
export type HistogramName = MetricsOfKind<'histogram'>;
/** The label names declared for metric `N`, as a string union. */
export type MetricLabel<N extends MetricName> = (typeof METRICS)[N]['labels'][number];

/** All declared metric names, in catalog order. */
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];
