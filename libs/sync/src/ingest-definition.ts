import type { Checkpoint, EntityOf, Source, SyncRequested } from '@tributary/contracts';
import type { EntityFetcher, JsonGetter } from './fetchers';
import type { HintDefinition } from './hints/hint-definition';
import type { IngestConfig } from './ingest-settings';

/** What a definition is given to read one entity in one run. */
export interface FetchRequest<S extends Source, C> {
  config: C;
  client: JsonGetter;
  command: SyncRequested;
  entity: EntityOf<S>;
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
 * checkpoints, paging, transactions, lifecycle events, metrics) is `startIngest`'s, and so are the
 * settings every ingest has (IngestConfig: Kafka group, transactional id, API URL, rate budget).
 * Entities are synced in the source's order (`entitiesOf`).
 */
export interface IngestDefinition<S extends Source, C extends IngestConfig<S>> {
  source: S;
  /** The source as logs name it (`RepCard`). */
  label: string;
  /** Headers of every API request (credentials). */
  headers: (config: C) => Record<string, string>;
  /** Pages of one entity requested at once (page-numbered APIs); default 4. */
  concurrency?: (config: C) => number;
  /** How to read an entity in one run: its request plan and the API's paging. */
  fetcher: (request: FetchRequest<S, C>) => EntityFetcher;
  /** An optional rule that may refuse a command, built once from the checkpoints read at start-up. */
  gate?: (config: C, checkpoints: ReadonlyMap<string, Checkpoint>) => RunGate;
  /**
   * Webhooks as hints (ADR 0026): the webhook topic to read and how to re-fetch the records it names,
   * or null when the config turns them off.
   */
  hints?: (config: C) => HintDefinition<S, unknown> | null;
}

/** Types a service's definition (an identity function: the value is the definition). */
export function defineIngest<S extends Source, C extends IngestConfig<S>>(
  definition: IngestDefinition<S, C>,
): IngestDefinition<S, C> {
  return definition;
}
