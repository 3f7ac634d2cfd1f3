import { TributaryError } from '@tributary/core';
import type { z } from 'zod';
import { type Checkpoint, CheckpointSchema } from './checkpoint';
import { toRegistryJsonSchema } from './json-schema';
import {
  type EntityEvent,
  entityEventSchemaFor,
  entityTopicJsonSchema,
  upcastEntityEvent,
} from './entity-events';
import { type SyncRequested, SyncRequestedSchema } from './sync-commands';
import { type SyncCancelRequested, SyncCancelRequestedSchema } from './sync-control';
import { type SyncEvent, SyncEventSchema } from './sync-events';
import { TOPICS, entityTopics, isDlqTopic } from './topics';
import { parseOrThrow } from './validation';
import { type WebhookReceived, WebhookReceivedSchema } from './webhook-received';
import { type RepcardWebhookReceived, RepcardWebhookReceivedSchema } from './repcard-webhooks';

/** What is written to one topic: its zod schema, its JSON Schema, and how to read old versions. */
export interface Contract<T> {
  topic: string;
  /** Schema registry subject (TopicNameStrategy). */
  subject: string;
  /** The envelope `type` (for a union of types, the family name, e.g. `SyncEvent`). */
  type: string;
  /** The current envelope version: what producers write. */
  version: number;
  schema: z.ZodType<T>;
  /** Draft-07 JSON Schema for the schema registry (memoized). */
  jsonSchema(): Record<string, unknown>;
  /** Upcasts older versions, then parses; throws ValidationError naming the failing field. */
  decode(value: unknown): T;
}

export function subjectOf(topic: string): string {
  return `${topic}-value`;
}

function defineContract<T>(options: {
  topic: string;
  type: string;
  version: number;
  schema: z.ZodType<T>;
  upcast?: (value: unknown) => unknown;
  /** The registered JSON Schema when it is not the one generated from `schema` (entity topics). */
  registered?: () => Record<string, unknown>;
}): Contract<T> {
  const { topic, type, version, schema, upcast = (value: unknown) => value, registered } = options;
  let json: Record<string, unknown> | undefined;
  return {
    topic,
    subject: subjectOf(topic),
    type,
    version,
    schema,
    jsonSchema: () =>
      (json ??= registered ? registered() : toRegistryJsonSchema(schema, `${type} v${version}`)),
    decode: (value) => parseOrThrow(schema, upcast(value), `${topic}: ${type}`, { topic, type }),
  };
}

export const SyncRequestedContract: Contract<SyncRequested> = defineContract({
  topic: TOPICS.syncCommands,
  type: 'SyncRequested',
  version: 1,
  schema: SyncRequestedSchema,
});

export const SyncCancelRequestedContract: Contract<SyncCancelRequested> = defineContract({
  topic: TOPICS.syncControl,
  type: 'SyncCancelRequested',
  version: 1,
  schema: SyncCancelRequestedSchema,
});

export const SyncEventContract: Contract<SyncEvent> = defineContract({
  topic: TOPICS.syncEvents,
  type: 'SyncEvent',
  version: 1,
  schema: SyncEventSchema,
});

export const CheckpointContract: Contract<Checkpoint> = defineContract({
  topic: TOPICS.checkpoints,
  type: 'Checkpoint',
  version: 1,
  schema: CheckpointSchema,
});

export const WebhookReceivedContract: Contract<WebhookReceived> = defineContract({
  topic: TOPICS.curagenesisWebhooks,
  type: 'WebhookReceived',
  version: 1,
  schema: WebhookReceivedSchema,
});

export const RepcardWebhookReceivedContract: Contract<RepcardWebhookReceived> = defineContract({
  topic: TOPICS.repcardWebhooks,
  type: 'RepcardWebhookReceived',
  version: 1,
  schema: RepcardWebhookReceivedSchema,
});

const recordObservedContracts = new Map<string, Contract<EntityEvent>>(
  entityTopics().map(({ topic, source, entity }) => [
    topic,
    defineContract<EntityEvent>({
      topic,
      type: 'RecordObserved',
      version: 2,
      schema: entityEventSchemaFor(source, entity),
      upcast: upcastEntityEvent,
      registered: () => entityTopicJsonSchema(source, entity),
    }),
  ]),
);

/**
 * The contract of one entity topic: `source` and `entity` must match the topic. Its family is
 * RecordObserved (v2, what the ingest writes); since ADR 0024 it also carries RecordDeleted.
 */
export function RecordObservedContract(topic: string): Contract<EntityEvent> {
  const contract = recordObservedContracts.get(topic);
  if (!contract) throw unknownTopic(topic);
  return contract;
}

const contracts = new Map<string, Contract<unknown>>([
  [SyncRequestedContract.topic, SyncRequestedContract],
  [SyncCancelRequestedContract.topic, SyncCancelRequestedContract],
  [SyncEventContract.topic, SyncEventContract],
  [CheckpointContract.topic, CheckpointContract],
  [WebhookReceivedContract.topic, WebhookReceivedContract],
  [RepcardWebhookReceivedContract.topic, RepcardWebhookReceivedContract],
  ...recordObservedContracts,
]);

function unknownTopic(topic: string): TributaryError {
  const hint = isDlqTopic(topic) ? ' (DLQ values are not decoded)' : '';
  return new TributaryError('UNKNOWN_TOPIC', `no contract for topic ${topic}${hint}`, { details: { topic } });
}

/** The contract of a topic; throws TributaryError UNKNOWN_TOPIC for any other name (DLQs included). */
export function contractFor(topic: string): Contract<unknown> {
  const contract = contracts.get(topic);
  if (!contract) throw unknownTopic(topic);
  return contract;
}

/** Every contract, one per topic (DLQs have none). */
export function allContracts(): Contract<unknown>[] {
  return [...contracts.values()];
}
