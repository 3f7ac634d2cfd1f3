import { z } from 'zod';
import { isoDateTime, nonEmpty, refineEntityOfSource, uuid } from './primitives';
import { SOURCES, type Entity, type Source } from './topics';
import { uuidV5 } from './uuid-v5';

const shape = {
  type: z.literal('RecordDeleted'),
  version: z.literal(1),
  /** Deterministic (deletionEventId): publishing the same deletion twice gives the same event. */
  eventId: uuid,
  source: z.enum(SOURCES),
  entity: nonEmpty,
  /** The source id, as in RecordObserved. Also the message key. */
  id: nonEmpty,
  /** When the record was found absent: the start of the complete full sync that did not see it. */
  deletedAt: isoDateTime,
  /** That full sync. */
  syncId: nonEmpty,
  /** When the projector's deletion sweep decided it (its clock). */
  observedAt: isoDateTime,
};

/**
 * RecordDeleted v1, on the entity topics beside RecordObserved (ADR 0024): a complete full sync did
 * not see the record, and the deletion guard let the sweep mark it (ADR 0018). Published by the
 * projector's deletion outbox; applied by the rule "deleted iff the absence is later than the last
 * sighting", so a later observation revives the record.
 */
export const RecordDeletedSchema = z.object(shape).superRefine(refineEntityOfSource);
export type RecordDeleted = z.infer<typeof RecordDeletedSchema>;

/** The schema on one entity topic (`source` and `entity` fixed). */
export function recordDeletedSchemaFor(source: Source, entity: Entity): z.ZodType<RecordDeleted> {
  return z.object({ ...shape, source: z.literal(source), entity: z.literal(entity) });
}

/** Namespace of deletion event ids. */
export const RECORD_DELETED_NAMESPACE = '2b7d0f4e-8a61-4c3f-9e25-5d1a7c9b3e80';

/** The event id of the deletion of `source/entity/id` by the full sync `syncId`. */
export function deletionEventId(source: Source, entity: string, id: string, syncId: string): string {
  return uuidV5(`${source}/${entity}/${id}/${syncId}`, RECORD_DELETED_NAMESPACE);
}
