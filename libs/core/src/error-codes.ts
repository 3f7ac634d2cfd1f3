/**
 * The error code catalogue (STYLE.md habits 4 and 5, like the metric and log catalogues): every
 * `code` a TributaryError, an HTTP error body or a DLQ header can carry is declared here once, with
 * what it means. `TributaryError` only accepts these, so an alert, a test or a caller that branches
 * on a code can rely on it being produced somewhere.
 */
export const ERROR_CODES = {
  // --- Configuration and start-up ---
  CONFIG_INVALID: 'an environment variable is missing or invalid (names the variable)',
  HTTP_ALREADY_STARTED: 'an HTTP service was started twice',
  READINESS_TIMEOUT: 'a readiness check did not answer in time',

  // --- Input (HTTP, records) ---
  VALIDATION_FAILED: 'input that can never succeed however often it is retried',
  BAD_REQUEST: 'an HTTP request the service cannot understand',
  INVALID_JSON: 'an HTTP body that is not JSON',
  PAYLOAD_TOO_LARGE: 'an HTTP body over the size limit',
  UNSUPPORTED_MEDIA_TYPE: 'an HTTP body of a content type the route does not take',
  UNAUTHORIZED: 'a request without a valid credential or signature',
  NOT_FOUND: 'no such route or resource',
  FORBIDDEN: 'a credential whose role does not allow the route (viewer < operator < admin)',
  ORIGIN_REFUSED: 'a browser request from another origin, or a Host header the service does not serve (403)',
  CSRF_REFUSED: 'a state-changing request on a session cookie without its CSRF token (403)',
  RATE_LIMITED: 'too many requests from one client in the window (429 with Retry-After)',
  CRON_NOT_CONFIGURED: 'the external cron endpoint was called but CRON_SECRET is not set (refused)',
  REDIRECT_REFUSED: 'a source API redirected to another origin (the API key would follow it): refused',
  NOT_READY: 'the service is starting or stopping and cannot serve the request',
  SYNC_ALREADY_RUNNING: 'a sync of this source is already running',
  SYNC_ALREADY_ENDED: 'a cancel for a sync run that has already ended (409; the run keeps its status)',
  SYNC_CANCELLED:
    'a sync run stopped at a page boundary because an operator cancelled it (not a failure; ADR 0017)',
  CANCEL_WATCH_TIMEOUT: 'an ingest could not read the sync control topic to its end at start-up in time',
  CRON_INVALID: 'a schedule expression that does not parse',
  CRON_BAD_DATE: 'a schedule computation that produced no valid date',
  UNKNOWN_ENTITY: 'an entity name that is not one of the source’s entities',
  UNKNOWN_TOPIC: 'a topic name that no contract describes',
  RECORD_MALFORMED: 'a record whose payload does not satisfy its entity’s schema (dead-lettered)',
  PROJECTION_FAILED: 'a record the projector could not apply',
  RECORD_UNSTORABLE:
    'a record PostgreSQL refuses on its own (data error, SQLSTATE class 22 or 23, or too large): dead-lettered with its SQLSTATE',
  WEBHOOK_OVERLOADED:
    'the webhook gateway is above its capacity (deliveries in flight, or its event loop saturated): answered 429 with Retry-After at once',
  WEBHOOK_STORE_TIMEOUT:
    'Kafka (or the dedup store) did not take a webhook delivery within WEBHOOK_PUBLISH_TIMEOUT_MS: answered 503 with Retry-After',
  WEBHOOK_IN_PROGRESS:
    'a webhook delivery with this id is being published by another gateway replica: answered 503, retry to learn its outcome',
  WEBHOOK_DEDUP_FAILED: 'the webhook dedup table in PostgreSQL could not be read or written (answered 503)',
  PROJECTION_REGISTRY_INVALID: 'a topic no projection of the projector handles, or two do (a wiring bug)',

  // --- Source APIs ---
  SOURCE_UNAVAILABLE: 'a source API did not answer or answered 5xx (retried)',
  SOURCE_UNAUTHORIZED: 'a source API refused the API key',
  SOURCE_BAD_REQUEST: 'a source API refused the request as malformed',
  SOURCE_BAD_ENVELOPE: 'a source API answered with a body of an unexpected shape',
  SOURCE_REQUEST_FAILED: 'a source API request failed for another reason',
  SOURCE_NOT_CONFIGURED: 'a route needs a source API the service has no API key or URL for (503)',
  BAD_CHECKPOINT_CURSOR: 'a stored checkpoint cursor that cannot be read back',
  CHECKPOINT_READ_TIMEOUT: 'reading the checkpoint topic took too long',

  // --- Kafka and the schema registry ---
  KAFKA_UNAVAILABLE: 'the brokers did not answer (retried)',
  KAFKA_CONNECT_FAILED: 'a producer or consumer could not connect',
  KAFKA_TOPICS_FAILED: 'topics could not be listed or created',
  KAFKA_TOPICS_MISCONFIGURED:
    'with KAFKA_TOPICS_CREATE=false, a topic is missing or has fewer replicas, a lower min.insync.replicas, another cleanup policy or a shorter retention than planned (names the topic; the service refuses to start)',
  KAFKA_OAUTH_TOKEN_FAILED: 'the OAUTHBEARER token endpoint did not give a token',
  KAFKA_PUBLISH_FAILED: 'a send was not acknowledged',
  KAFKA_TRANSACTION_FAILED: 'a transaction could not begin, send or commit',
  KAFKA_PRODUCER_FENCED: 'another producer with the same transactional id took over (final)',
  KAFKA_REQUEST_REJECTED: 'the broker refused a request for good (too large, not authorized, invalid)',
  KAFKA_DLQ_FAILED: 'a dead letter could not be written',
  KAFKA_CONSUMER_START_FAILED: 'a consumer could not join its group',
  KAFKA_CONSUMER_STOP_FAILED: 'a consumer did not leave its group cleanly',
  KAFKA_CONSUMER_CRASHED: 'kafkajs stopped a consumer',
  CONSUMER_NO_CONTRACT: 'a consumed topic has no contract to decode it',
  CONSUMER_HANDLER_FAILED: 'a batch handler failed with an error that is not retriable',
  OFFSET_STORE_FAILED: 'the checkpointer could not read or store consumed offsets',
  DLQ_LIMIT_EXCEEDED: 'too many dead letters: the consumer stops instead of draining a topic',
  DLQ_POLICY_INVALID: 'a DLQ limit configured with impossible values',
  DLQ_FOREIGN_MESSAGE: 'a handler reported a failure at an offset that is not in its batch',
  DLQ_REPLAY_FAILED: 'a dead letter could not be replayed',
  DLQ_LIMIT_TRIPPED:
    'a consumer group whose DLQ limit tripped (stored): it stays stopped until `tributary dlq reset-limit`',
  DLQ_LIMIT_STORE_FAILED: 'the DLQ limit counts or trip could not be read or written',
  DLQ_READ_FAILED: 'a dead-letter topic could not be read',
  DLQ_PURGE_FAILED: 'records of a dead-letter topic could not be deleted',
  SCHEMA_REGISTRY_UNAVAILABLE: 'the schema registry did not answer (retried)',
  SCHEMA_REGISTRY_UNAUTHORIZED: 'the schema registry refused the credentials',
  SCHEMA_REGISTRY_REJECTED: 'the schema registry refused a request for good',
  SCHEMA_INCOMPATIBLE: 'a schema the registry refuses as incompatible with the subject’s versions',
  SCHEMA_INVALID: 'a schema the registry cannot parse',
  SCHEMA_NOT_FOUND: 'a schema id the registry does not know',

  // --- PostgreSQL ---
  DB_UNAVAILABLE: 'PostgreSQL did not answer (retried)',
  DB_TRANSIENT:
    'PostgreSQL refused a transaction for a reason that passes (serialization failure, deadlock, resources, cancelled): retried',
  DB_LISTEN_UNAVAILABLE: 'the LISTEN connection is down',
  DB_BAD_SEARCH_PATH: 'a DATABASE_URL search_path that is not a plain schema name',
  MIGRATIONS_DIR_UNREADABLE: 'the migrations folder cannot be read',
  MIGRATION_BAD_NAME: 'a migration file not named NNN_name.sql',
  MIGRATION_BAD_TABLE: 'the migrations table has an unexpected shape',
  MIGRATION_DUPLICATE_VERSION: 'two migration files with one version',
  MIGRATION_CHECKSUM_MISMATCH: 'an applied migration whose file has changed since',
  MIGRATION_FAILED: 'a migration failed (rolled back)',
  REBUILD_UNSUPPORTED: 'a rebuild of a source whose projections do not write through table specs (ADR 0021)',
  REBUILD_FAILED:
    'a rebuild could not replay its topics or swap its tables in (the live tables are untouched)',

  // --- Tools (stack launcher, simulators, tests) ---
  STACK_PREREQUISITE_MISSING: 'the stack launcher lacks a program (Java, Maven, PostgreSQL)',
  STACK_COMMAND_FAILED: 'a command of the stack launcher failed',
  STACK_PORT_TAKEN: 'a port the stack needs is used by another program',
  STACK_SPAWN_FAILED: 'a stack server could not be started',
  STACK_SERVER_DIED: 'a stack server exited during start-up',
  STACK_START_TIMEOUT: 'a stack server was not ready in time',
  WEBHOOK_SEND_FAILED: 'the simulator could not deliver a webhook',
  TRICKLE_EVENT_FAILED: 'the simulator’s webhook trickle failed to make an event',
  SIMULATED_CRASH: 'a crash a test injected on purpose',
  WAIT_TIMEOUT: 'a test’s waitFor condition did not hold in time',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
