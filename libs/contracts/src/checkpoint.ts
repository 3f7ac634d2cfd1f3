import { z } from 'zod';
import { count, isoDateTime, nonEmpty } from './primitives';
import { SOURCES, type Source, isEntityOf } from './topics';

/** Where a running full sync stands: the next page (page-numbered APIs) or cursor (cursor APIs). */
export const FullSyncPositionSchema = z.object({
  syncId: nonEmpty,
  nextPage: z.number().int().positive().nullable(),
  cursor: z.string().nullable(),
  pagesDone: count,
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
  .superRefine((value, ctx) => {
    if (!isEntityOf(value.source, value.entity)) {
      ctx.addIssue({ code: 'custom', path: ['entity'], message: `${value.entity} is not an entity of ${value.source}` });
    }
  });
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export function checkpointKey(source: Source, entity: string): string {
  return `${source}/${entity}`;
}
