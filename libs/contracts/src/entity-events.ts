import { z } from 'zod';
import { toRegistryJsonSchema } from './json-schema';
import { recordDeletedSchemaFor, type RecordDeleted } from './record-deleted';
import { recordObservedSchemaFor, upcastRecordObserved, type RecordObserved } from './record-observed';
import type { Entity, Source } from './topics';

/** What an entity topic carries (ADR 0024): observations and, since issue 13, deletions. */
export type EntityEvent = RecordObserved | RecordDeleted;

export function isRecordDeleted(value: unknown): value is RecordDeleted {
  return (value as { type?: unknown } | null)?.type === 'RecordDeleted';
}

/** The zod schema of one entity topic: either event, told apart by `type`. */
export function entityEventSchemaFor(source: Source, entity: Entity): z.ZodType<EntityEvent> {
  const options = [recordObservedSchemaFor(source, entity), recordDeletedSchemaFor(source, entity)];
  // Both are z.object schemas with a literal `type`: an error names the field of the event it is.
  const union = z.discriminatedUnion('type', options as unknown as [z.ZodObject, z.ZodObject]);
  return union as unknown as z.ZodType<EntityEvent>;
}

/** Upcasts older RecordObserved versions; a RecordDeleted (version 1 too) passes through. */
export function upcastEntityEvent(value: unknown): unknown {
  return isRecordDeleted(value) ? value : upcastRecordObserved(value);
}

/**
 * The JSON Schema registered for an entity topic: ONE object schema that admits both events (the
 * zod union stays the authority). The registry refuses turning the subject's object schema into an
 * `anyOf` under BACKWARD (SUBSCHEMA_TYPE_CHANGED) but accepts widening it: `type` and `version`
 * become enums, RecordDeleted's `deletedAt` is added, and only the fields both events carry stay
 * required. Every producer of the topic registers this same text, so the subject has one schema.
 */
export function entityTopicJsonSchema(source: Source, entity: Entity): Record<string, unknown> {
  const observed = toRegistryJsonSchema(recordObservedSchemaFor(source, entity)) as {
    properties: Record<string, unknown>;
  } & Record<string, unknown>;
  const deleted = toRegistryJsonSchema(recordDeletedSchemaFor(source, entity)) as {
    properties: Record<string, unknown>;
    required: string[];
  };
  const shared = Object.keys(deleted.properties).filter((k) => k in observed.properties);
  return {
    ...observed,
    properties: {
      ...observed.properties,
      type: { type: 'string', enum: ['RecordObserved', 'RecordDeleted'] },
      version: { type: 'number', enum: [1, 2] },
      deletedAt: deleted.properties.deletedAt,
    },
    required: deleted.required.filter((k) => shared.includes(k)),
    // The family's title (RecordObserved v2, what the ingest writes); RecordDeleted v1 rides along.
    title: 'RecordObserved v2',
  };
}
