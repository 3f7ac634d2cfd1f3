import { z } from 'zod';
import { isoDateTime, nonEmpty, present, refineEntityOfSource, uuid } from './primitives';
import { recordUpdatedAt } from './records';
import { SOURCES, type Entity, type Source } from './topics';
import { uuidV5 } from './uuid-v5';
import { parseOrThrow } from './validation';

/**
 * How a record was observed: a poll, a webhook, or `repair` (an operator's `reconcile --repair`:
 * the source's answer written even when older than the stored version, ADR 0024), or `re-fetch`
 * (the ingest read the record again because a webhook named it: projected like a poll, ADR 0026).
 */
export const RECORD_ORIGINS = ['poll', 'webhook', 'repair', 're-fetch'] as const;
export type RecordOrigin = (typeof RECORD_ORIGINS)[number];

const shape = {
  type: z.literal('RecordObserved'),
  version: z.literal(2),
  /** Unique per observation. */
  eventId: uuid,
  source: z.enum(SOURCES),
  entity: nonEmpty,
  /** The source id as a string (RepCard status logs: the `_id` ObjectId). Also the message key. */
  id: nonEmpty,
  /** The record exactly as the API sent it. */
  payload: present,
  observedAt: isoDateTime,
  /** The record's own update time when the source has one; orders versions of the same record. */
  sourceUpdatedAt: isoDateTime.nullable(),
  /** The sync run that fetched it; null for webhooks. */
  syncId: z.string().nullable(),
  origin: z.enum(RECORD_ORIGINS),
  /** The webhook delivery it came from; null when polled. */
  deliveryId: z.string().nullable(),
};

/** RecordObserved v2, on every entity topic keyed by `id`: one raw change event per record observed. */
export const RecordObservedSchema = z.object(shape).superRefine(refineEntityOfSource);
export type RecordObserved = z.infer<typeof RecordObservedSchema>;

/** The schema of one entity topic: `source` and `entity` are fixed (and so in its JSON Schema). */
export function recordObservedSchemaFor(source: Source, entity: Entity): z.ZodType<RecordObserved> {
  return z.object({ ...shape, source: z.literal(source), entity: z.literal(entity) });
}

/** The first shape, written before webhooks and event ids existed. Only read, never written. */
export const RecordObservedV1Schema = z
  .object({
    type: z.literal('RecordObserved'),
    version: z.literal(1),
    source: z.enum(SOURCES),
    entity: nonEmpty,
    recordId: z.union([z.string().min(1), z.number()]),
    data: present,
    fetchedAt: isoDateTime,
    syncId: z.string().optional(),
  })
  .superRefine(refineEntityOfSource);
export type RecordObservedV1 = z.infer<typeof RecordObservedV1Schema>;

/** Namespace of the deterministic event ids given to upcast v1 events. */
export const RECORD_OBSERVED_V1_NAMESPACE = '6f1c7a52-3b9e-4d0a-9c57-0e2d8b1f4a6e';

/** v1 → v2. The event id is derived from the v1 content, so upcasting the same event twice agrees. */
export function upcastRecordObservedV1(v1: RecordObservedV1): RecordObserved {
  const id = String(v1.recordId);
  const syncId = v1.syncId ?? null;
  return {
    type: 'RecordObserved',
    version: 2,
    eventId: uuidV5(
      `${v1.source}/${v1.entity}/${id}/${v1.fetchedAt}/${syncId ?? ''}`,
      RECORD_OBSERVED_V1_NAMESPACE,
    ),
    source: v1.source,
    entity: v1.entity,
    id,
    payload: v1.data,
    observedAt: v1.fetchedAt,
    sourceUpdatedAt: recordUpdatedAt(v1.source, v1.entity, v1.data),
    syncId,
    origin: 'poll',
    deliveryId: null,
  };
}

/** Upcasts any older RecordObserved to the current version; other values pass through unchanged. */
export function upcastRecordObserved(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const version = (value as { version?: unknown }).version;
  if (version !== 1) return value;
  return upcastRecordObservedV1(parseOrThrow(RecordObservedV1Schema, value, 'RecordObserved v1'));
}
