import type { Checkpoint, Entity, Source, SyncRequested } from '@tributary/contracts';
import type { EntityFetcher, JsonGetter } from './fetchers';

/** The settings every ingest service reads from the environment (kafkaEnv, registryEnv). */
export interface IngestBaseConfig {
  KAFKA_BROKERS: string[];
  SCHEMA_REGISTRY_URL: string;
}

/** How an ingest meets Kafka: its command consumer group and its transactional id. */
export interface IngestKafkaOptions {
  groupId: string;
  /** One per deployment: a restarted ingest fences its zombie. */
  transactionalId: string;
  /** How long a crashed ingest holds its commands before another takes over. */
  sessionTimeoutMs: number;
}

/** How an ingest calls its API: base URL, credentials and its own request budget. */
export interface IngestClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  /** Requests allowed per `ratePeriodMs` (one budget per API key, shared by every entity). */
  rateLimit: number;
  ratePeriodMs: number;
  timeoutMs: number;
}

/** What a definition is given to read one entity in one run. */
export interface FetchRequest<C> {
  config: C;
  client: JsonGetter;
  command: SyncRequested;
  entity: Entity;
  /** The entity's checkpoint before this run (its high-water mark plans incremental windows). */
  checkpoint: Checkpoint | undefined;
  /** The run's start, the same for every entity of the run. */
  now: Date;
}

export type GateDecision = { run: true } | { run: false; reason: string };

/**
 * A rule deciding whether a command runs at all (CuraGenesis: at most one sync an hour unless
 * forced). A refused command is never silent: the runtime publishes SyncSkipped with the reason.
 */
export interface RunGate {
  /** Fields of the start-up log line (what the gate learnt from the checkpoints). */
  startupFields?: Record<string, unknown>;
  /** Decides for `command` at `now`; an admitted command counts as a run started at `now`. */
  admit(command: SyncRequested, now: Date): GateDecision;
}

/**
 * Everything that makes one ingest service differ from another. The pipeline itself (commands,
 * checkpoints, paging, transactions, lifecycle events, metrics) is `startIngest`'s.
 */
export interface IngestDefinition<C extends IngestBaseConfig> {
  /** Service name: the Kafka client id (`ingest-repcard`). */
  name: string;
  source: Source;
  /** The source as logs name it (`RepCard`). */
  label: string;
  /** Every entity in sync order; a command naming some runs those, still in this order. */
  entities: readonly Entity[];
  kafka(config: C): IngestKafkaOptions;
  client(config: C): IngestClientOptions;
  /** Pages of one entity requested at once (page-numbered APIs); default 4. */
  concurrency?(config: C): number;
  /** How to read `entity` in this run: the request plan and the API's paging. */
  fetcher(request: FetchRequest<C>): EntityFetcher;
  /** An optional rule that may refuse a command, built once from the checkpoints read at start-up. */
  gate?(config: C, checkpoints: ReadonlyMap<string, Checkpoint>): RunGate;
}

/** Types a service's definition (an identity function: the value is the definition). */
export function defineIngest<C extends IngestBaseConfig>(definition: IngestDefinition<C>): IngestDefinition<C> {
  return definition;
}
