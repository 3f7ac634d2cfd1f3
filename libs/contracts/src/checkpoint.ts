import { z } from 'zod';
import { count, isoDateTime, nonEmpty, refineEntityOfSource } from './primitives';
import { SOURCES, type Source } from './topics';

/** Where a running full sync stands: the next page (page-numbered APIs) or cursor (cursor APIs). */
export const FullSyncPositionSchema = z.object({
  syncId: nonEmpty,
  nextPage: z.number().int().positive().nullable(),
  cursor: z.string().nullable(),
  pagesDone: count,
  /** Records published so far by this run (carried across a resume). */
  fetched: count.default(0),
  /** Records without a usable id so far. */
  malformed: count.default(0),
  /** The run has published every page of this entity (a re-delivered command skips it). */
  completed: z.boolean().default(false),
  /** The newest record timestamp seen so far by this run (becomes the high-water mark on completion). */
  highWaterMarkSoFar: z.string().nullable().default(null),
});
export type FullSyncPosition = z.infer<typeof FullSyncPositionSchema>;

/**
 * Checkpoint v1, on the compacted `sync.checkpoints.v1` keyed by `source/entity` (checkpointKey):
 * the incremental high-water mark and, while a full sync runs, its position. Written in the same
 * Kafka transaction as the page of records it follows.
 */
export const CheckpointSchema = z
  .object({
    type: z.literal('Checkpoint'),
    version: z.literal(1),
    source: z.enum(SOURCES),
    entity: nonEmpty,
    /** Opaque to consumers: an ISO timestamp or date for RepCard, whatever the ingest resumes from. */
    highWaterMark: z.string().nullable(),
    fullSync: FullSyncPositionSchema.nullable(),
    updatedAt: isoDateTime,
  })
  .superRefine(refineEntityOfSource);
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export function checkpointKey(source: Source, entity: string): string {
  return `${source}/${entity}`;
}
