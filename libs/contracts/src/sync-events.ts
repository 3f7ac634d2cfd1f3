import { z } from 'zod';
import { count, isoDateTime, nonEmpty, uuid } from './primitives';
import { SYNC_MODES, SYNC_TRIGGERS } from './sync-commands';
import { SOURCES } from './topics';

/** Fields of every sync event: which run, which source, when. */
const base = {
  version: z.literal(1),
  syncId: uuid,
  source: z.enum(SOURCES),
  at: isoDateTime,
};

export const SyncStartedSchema = z.object({
  type: z.literal('SyncStarted'),
  ...base,
  mode: z.enum(SYNC_MODES),
  /** The entities this run will sync, in order. */
  entities: z.array(nonEmpty),
  trigger: z.enum(SYNC_TRIGGERS),
});

export const EntityStartedSchema = z.object({ type: z.literal('EntityStarted'), ...base, entity: nonEmpty });

export const EntityProgressSchema = z.object({
  type: z.literal('EntityProgress'),
  ...base,
  entity: nonEmpty,
  fetched: count,
  pages: count,
  totalPages: count.nullable(),
});

export const EntityCompletedSchema = z.object({
  type: z.literal('EntityCompleted'),
  ...base,
  entity: nonEmpty,
  fetched: count,
  pages: count,
  /** Records that failed their record schema (still published; the projector dead-letters them). */
  malformed: count,
  highWaterMark: z.string().nullable(),
  /**
   * The run read every record the source holds of this entity (a full sync without a date window,
   * every page without error): the projector may mark the rows it did not see deleted (ADR 0018).
   * Absent (older events, any other run): false.
   */
  wholeEntity: z.boolean().optional(),
});

export const EntityFailedSchema = z.object({
  type: z.literal('EntityFailed'),
  ...base,
  entity: nonEmpty,
  fetched: count,
  error: nonEmpty,
});

export const SyncCompletedSchema = z.object({
  type: z.literal('SyncCompleted'),
  ...base,
  fetched: count,
  /** Entities that failed; the run completes anyway (one entity failing does not stop the others). */
  failedEntities: z.array(nonEmpty),
});

export const SyncFailedSchema = z.object({ type: z.literal('SyncFailed'), ...base, error: nonEmpty });

/** The run was not started, e.g. the minimum interval since the last sync has not passed. */
export const SyncSkippedSchema = z.object({ type: z.literal('SyncSkipped'), ...base, reason: nonEmpty });

/**
 * The run was cancelled by an operator (SyncCancelRequested): it stopped at a page boundary with every
 * page so far committed with its checkpoint, or never started when its command was still queued.
 * The command is committed: a cancelled run is never resumed.
 */
export const SyncCancelledSchema = z.object({
  type: z.literal('SyncCancelled'),
  ...base,
  mode: z.enum(SYNC_MODES),
  /** Records fetched and committed by the run before it stopped (0 when it never started). */
  fetched: count,
  /** The entity it stopped in; null when it stopped between entities or never started. */
  entity: nonEmpty.nullable(),
  /** False when the run was cancelled before it started (no SyncStarted was published). */
  started: z.boolean(),
  cancelledBy: nonEmpty,
});

/** Every value of `sync.events.v1` (keyed by syncId), told apart by `type`. All version 1 (SyncCancelled was added to the union later: a BACKWARD-compatible change, ADR 0017). */
export const SyncEventSchema = z.discriminatedUnion('type', [
  SyncStartedSchema,
  EntityStartedSchema,
  EntityProgressSchema,
  EntityCompletedSchema,
  EntityFailedSchema,
  SyncCompletedSchema,
  SyncFailedSchema,
  SyncSkippedSchema,
  SyncCancelledSchema,
]);
export type SyncEvent = z.infer<typeof SyncEventSchema>;
export type SyncEventType = SyncEvent['type'];
export type SyncEventOf<T extends SyncEventType> = Extract<SyncEvent, { type: T }>;
export type SyncStarted = SyncEventOf<'SyncStarted'>;
export type EntityStarted = SyncEventOf<'EntityStarted'>;
export type EntityProgress = SyncEventOf<'EntityProgress'>;
export type EntityCompleted = SyncEventOf<'EntityCompleted'>;
export type EntityFailed = SyncEventOf<'EntityFailed'>;
export type SyncCompleted = SyncEventOf<'SyncCompleted'>;
export type SyncFailed = SyncEventOf<'SyncFailed'>;
export type SyncSkipped = SyncEventOf<'SyncSkipped'>;
export type SyncCancelled = SyncEventOf<'SyncCancelled'>;

export const SYNC_EVENT_TYPES = SyncEventSchema.options.map((option) => option.shape.type.value);
