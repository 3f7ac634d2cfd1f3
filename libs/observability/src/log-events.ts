/**
 * The log event catalog (STYLE.md habit 4): every `event` a log line can carry is declared here once,
 * with what it means. Loggers only accept these names, so a dashboard or an alert can rely on them.
 * Names are `<area>.<what happened>`, lower case, past tense for facts.
 */
export const LogEvents = {
  // --- Service lifecycle ---
  /** The process began starting: config parsed, about to connect to its dependencies. */
  serviceStarting: 'service.starting',
  /** The service is up: connected, listening, consuming. Carries the HTTP port. */
  serviceStarted: 'service.started',
  /** A shutdown signal arrived (SIGTERM/SIGINT); the service is draining. */
  serviceStopping: 'service.stopping',
  /** Shutdown finished cleanly; the process exits 0 next. */
  serviceStopped: 'service.stopped',
  /** Shutdown failed or timed out; the process exits 1 next. */
  serviceStopFailed: 'service.stop_failed',
  /** Start-up failed (a dependency unreachable, a migration refused); the process exits next. */
  serviceStartFailed: 'service.start_failed',
  /** A running service hit a final fault (a fenced producer, a stopped consumer): it stops and exits 1. */
  serviceFailed: 'service.failed',
  /** The environment did not satisfy the service's config schema; names the variable at fault. */
  configInvalid: 'config.invalid',

  // --- HTTP ---
  /** One HTTP request served (debug level: method, route, status, duration). */
  httpRequest: 'http.request',
  /** A request ended in a 5xx, or a route threw: the error with its cause chain. */
  httpError: 'http.error',
  /** The /readyz result changed (ready <-> not ready), with every check's result. */
  httpReadinessChanged: 'http.readiness.changed',

  // --- Kafka ---
  /** A producer or consumer connected to the brokers. */
  kafkaConnected: 'kafka.connected',
  /** Topics a service found missing and created at start-up. */
  kafkaTopicsCreated: 'kafka.topics.created',
  /** A producer or consumer disconnected (on purpose or not). */
  kafkaDisconnected: 'kafka.disconnected',
  /** A consumer group rebalanced; carries the partitions now assigned. */
  kafkaRebalanced: 'kafka.rebalanced',
  /** A consumer finished one batch (debug level: topic, partition, count, offsets, duration). */
  kafkaBatchProcessed: 'kafka.batch.processed',
  /** A consumer was paused for backpressure, or resumed. */
  kafkaConsumerPaused: 'kafka.consumer.paused',
  kafkaConsumerResumed: 'kafka.consumer.resumed',
  /** A consumer crashed or failed to process a batch; carries whether it will be retried. */
  kafkaConsumerFailed: 'kafka.consumer.failed',
  /** A record went to the dead-letter topic, with its origin and the reason. */
  kafkaDlqRouted: 'kafka.dlq.routed',
  /** The DLQ bound was crossed (ratio or consecutive failures): the consumer stops instead of draining. */
  kafkaDlqLimitExceeded: 'kafka.dlq.limit_exceeded',
  /** A consumer is held stopped by its group's stored DLQ trip (at start, or tripped by another replica). */
  kafkaDlqLimitTripped: 'kafka.dlq.limit_tripped',
  /** An operator cleared a group's DLQ trip (`tributary dlq reset-limit`): its consumer starts again. */
  kafkaDlqLimitCleared: 'kafka.dlq.limit_cleared',
  /** Records from a dead-letter topic were replayed to their origin topic. */
  kafkaDlqReplayed: 'kafka.dlq.replayed',
  /** A Kafka transaction was aborted (the batch is retried or the process stops). */
  kafkaTransactionAborted: 'kafka.transaction.aborted',
  /** A producer was disconnected and made anew after a failed send, commit or abort (ADR 0011). */
  kafkaProducerRecreated: 'kafka.producer.recreated',
  /** A transactional producer was fenced by another with the same transactional id: final, the service exits 1. */
  kafkaProducerFenced: 'kafka.producer.fenced',
  /** A producer could not connect yet at start (e.g. the broker still loading): tried again (carries the attempt). */
  kafkaConnectRetried: 'kafka.connect.retried',
  /** Topic creation or metadata raced with another process; retried (carries the attempt). */
  kafkaTopicsRetried: 'kafka.topics.retried',
  /** A schema was registered in (or found already in) the schema registry. */
  schemaRegistered: 'schema.registered',

  // --- Sync runs ---
  /** A sync command was received; carries syncId, source, mode, entities, trigger. */
  syncRequested: 'sync.requested',
  /** A sync run started. */
  syncStarted: 'sync.started',
  /** One entity of a run started (full: from its checkpointed page, incremental: from its high-water mark). */
  syncEntityStarted: 'sync.entity.started',
  /** One page of records fetched and produced together with its checkpoint (debug level). */
  syncPageCommitted: 'sync.page.committed',
  /** One entity of a run finished; carries fetched count and pages. */
  syncEntityCompleted: 'sync.entity.completed',
  /** One entity of a run failed; the other entities go on. */
  syncEntityFailed: 'sync.entity.failed',
  /** A sync run finished (possibly with failed entities, listed). */
  syncCompleted: 'sync.completed',
  /** A sync run failed as a whole. */
  syncFailed: 'sync.failed',
  /** A sync run was not started (one is already running for the source, or nothing is due). */
  syncSkipped: 'sync.skipped',
  /** A sync run was interrupted by the service stopping: its pages so far are committed, it resumes on the next start. */
  syncInterrupted: 'sync.interrupted',
  /** A cancel of a run was received by an ingest replica (from sync.control; carries syncId, requestedBy). */
  syncCancelRequested: 'sync.cancel_requested',
  /** A sync run was cancelled: stopped at a page boundary, or never started (its command was still queued). */
  syncCancelled: 'sync.cancelled',
  /** A cancel of a run was requested through the admin API or the CLI (carries syncId, state, requestedBy). */
  adminSyncCancelRequested: 'admin.sync_cancel_requested',
  /** A sync run resumed from a checkpoint instead of starting at page 1. */
  syncResumed: 'sync.resumed',
  /** A queued sync command of a higher budget class started beside the running one (ADR 0026). */
  syncPreempted: 'sync.preempted',
  /** A webhook hint was re-fetched from the source (ADR 0026; carries entity, id, outcome). */
  webhookHintRefetched: 'webhook.hint.refetched',
  /** A webhook hint could not be re-fetched (carries entity, id, error); the next sync converges. */
  webhookHintFailed: 'webhook.hint.failed',
  /** The scheduler emitted a sync command on schedule. */
  scheduleTriggered: 'schedule.triggered',

  // --- Source APIs ---
  /** A request was held back: the API answered 429, or our shared budget ran out. */
  apiThrottled: 'api.throttled',
  /** A request failed retriably and will be retried after a backoff. */
  apiRetry: 'api.retry',
  /** A request failed for good (not retriable, or retries exhausted). */
  apiFailed: 'api.failed',
  /** The circuit breaker of a source opened: requests fail fast for a while. */
  circuitOpen: 'circuit.open',
  /** The circuit breaker let a trial request through. */
  circuitHalfOpen: 'circuit.half_open',
  /** The circuit breaker closed again: the source answers. */
  circuitClose: 'circuit.close',

  // --- Webhooks ---
  /** A webhook delivery was verified and its event acknowledged by Kafka. */
  webhookAccepted: 'webhook.accepted',
  /** A webhook delivery was a duplicate of one already accepted. */
  webhookDuplicate: 'webhook.duplicate',
  /** A webhook delivery was refused (unauthorized, invalid, too large, unsupported media type). */
  webhookRejected: 'webhook.rejected',

  // --- Projector and PostgreSQL ---
  /** The projector applied a batch in one transaction (rows per table and outcome, offsets stored). */
  projectorBatchApplied: 'projector.batch.applied',
  /** The projector resumed from the offsets stored in PostgreSQL. */
  projectorResumed: 'projector.resumed',
  /** A child row was stored before its parent, or linked once the parent arrived. */
  projectorOrphanLinked: 'projector.orphan.linked',
  /** A complete full sync of an entity marked the rows it did not see deleted (ADR 0018). */
  projectorDeletionsMarked: 'projector.deletions.marked',
  /** A complete full sync marked nothing deleted, and why (over the ratio guard, records failed). */
  projectorDeletionsSkipped: 'projector.deletions.skipped',
  /** Observations of a full sync were older than their stored rows: drift, counted on the run (ADR 0024). */
  projectorDriftSeen: 'projector.drift.seen',
  /** The deletion outbox relay published RecordDeleted events to the entity topics (ADR 0024). */
  projectorDeletionEventsPublished: 'projector.deletion_events.published',
  /** The deletion outbox relay could not publish; it retries (the rows stay queued). */
  projectorDeletionEventsFailed: 'projector.deletion_events.failed',
  /** One migration file was applied. */
  migrationApplied: 'migration.applied',
  /** A migrate() call finished; carries the versions it applied (possibly none). */
  migrationsApplied: 'migrations.applied',
  /** An idle pooled PostgreSQL connection failed (the pool replaces it). */
  dbPoolError: 'db.pool.error',
  /** The LISTEN connection is up (first connect or after a reconnect). */
  dbListenConnected: 'db.listen.connected',
  /** The LISTEN connection was lost and is being re-established. */
  dbListenReconnecting: 'db.listen.reconnecting',
  /** The LISTEN connection failed for good, or a notification handler threw. */
  dbListenError: 'db.listen.error',

  // --- Local stack launcher and tools ---
  /** The stack launcher is starting a component (Kafka, registry, PostgreSQL, a service). */
  stackStarting: 'stack.starting',
  /** A stack component is up and healthy; carries its address. */
  stackReady: 'stack.ready',
  /** The stack launcher is stopping the stack. */
  stackStopping: 'stack.stopping',
  /** The stack is stopped. */
  stackStopped: 'stack.stopped',
  /** A stack component failed to start or died. */
  stackFailed: 'stack.failed',
  /** A tool (CLI, simulator, bench) ran a step worth recording. */
  toolStep: 'tool.step',

  // --- Webhooks (continued) ---
  /** A verified webhook delivery could not be published to Kafka; answered 503 so the sender retries. */
  webhookPublishFailed: 'webhook.publish_failed',

  // --- Scheduler (cron, admin API, dashboard) ---
  /** The next scheduled sync was planned: its time and mode (debug level; also at start-up, info). */
  schedulePlanned: 'schedule.planned',
  /** A scheduled sync command could not be published to Kafka (after retries); the slot is missed. */
  schedulePublishFailed: 'schedule.publish_failed',
  /** The schedule is off (SCHEDULE_ENABLED=false): only the admin API and the CLI request syncs. */
  scheduleDisabled: 'schedule.disabled',
  /** A scheduled slot was not requested here: this replica does not lead (debug), or another replica already requested it (info). */
  scheduleSkipped: 'schedule.skipped',
  /** This scheduler replica took the cron lease (ADR 0019): it fires the scheduled slots from now on. */
  leaderGained: 'leader.gained',
  /** This scheduler replica no longer leads: another took the lease, its own ran out unrenewed, or it stopped. */
  leaderLost: 'leader.lost',
  /** Renewing or trying the cron lease failed (PostgreSQL unreachable); a leader keeps leading until its lease runs out. */
  leaderAttemptFailed: 'leader.attempt_failed',
  /**
   * A sync was requested through the admin API, the dashboard's Sync Now or the external cron endpoint,
   * and Kafka acknowledged it, or it was coalesced with the source's queued or running sync.
   */
  adminSyncRequested: 'admin.sync_requested',
  /** An admin API request or dashboard sign-in was refused: wrong password, unknown or revoked token. */
  adminUnauthorized: 'admin.unauthorized',
  /** The first admin (ADMIN_USERNAME) was created at start-up, or the ADMIN_TOKEN stored (never the secret). */
  authBootstrapped: 'auth.bootstrapped',
  /** A Server-Sent Events client (dashboard) connected to or left /api/events (debug level). */
  sseClientConnected: 'sse.client_connected',
  sseClientDisconnected: 'sse.client_disconnected',

  // --- Metrics ---
  /** A metric computed on scrape could not be read (the scrape shows its last values); at most once a minute. */
  metricsCollectFailed: 'metrics.collect_failed',
} as const;

export type LogEventName = (typeof LogEvents)[keyof typeof LogEvents];

/** All declared log event names, in catalog order. */
export const LOG_EVENT_NAMES = Object.values(LogEvents) as LogEventName[];
