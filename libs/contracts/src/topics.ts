import { TributaryError } from '@tributary/core';

/** The two systems we copy. */
export const SOURCES = ['repcard', 'curagenesis'] as const;
export type Source = (typeof SOURCES)[number];

/** RepCard entities, in sync order (parents before children). */
export const REPCARD_ENTITIES = [
  'users',
  'offices',
  'customers',
  'appointments',
  'status_logs',
  'customer_attachments',
  'appointment_attachments',
] as const;
export type RepcardEntity = (typeof REPCARD_ENTITIES)[number];

export const CURAGENESIS_ENTITIES = ['practices', 'orders'] as const;
export type CuragenesisEntity = (typeof CURAGENESIS_ENTITIES)[number];

export type Entity = RepcardEntity | CuragenesisEntity;
export type EntityOf<S extends Source> = S extends 'repcard' ? RepcardEntity : CuragenesisEntity;

/**
 * An optional prefix of every topic name (and so of every schema subject), read once from
 * `TRIBUTARY_TOPIC_NAMESPACE`: several environments, or isolated test runs, can share one cluster.
 * Empty by default. It must be the same for every service of one deployment.
 */
export const TOPIC_NAMESPACE: string =
  (typeof process !== 'undefined' && process.env.TRIBUTARY_TOPIC_NAMESPACE) || '';
const ns = TOPIC_NAMESPACE;

/** Every topic name of the system. Keys are noted next to each; `checkpoints` is compacted. */
export const TOPICS = {
  /** key: source. Value: SyncRequested. */
  syncCommands: `${ns}sync.commands.v1`,
  /** key: syncId. Value: SyncCancelRequested (read whole by every ingest replica, ADR 0017). */
  syncControl: `${ns}sync.control.v1`,
  /** key: syncId. Value: SyncEvent. */
  syncEvents: `${ns}sync.events.v1`,
  /** key: `source/entity` (see checkpointKey). Value: Checkpoint. Compacted. */
  checkpoints: `${ns}sync.checkpoints.v1`,
  /** key: source id. Value: RecordObserved or RecordDeleted (entity topics below, ADR 0024). */
  repcardUsers: `${ns}repcard.users.v1`,
  repcardOffices: `${ns}repcard.offices.v1`,
  repcardCustomers: `${ns}repcard.customers.v1`,
  repcardAppointments: `${ns}repcard.appointments.v1`,
  repcardStatusLogs: `${ns}repcard.status-logs.v1`,
  repcardCustomerAttachments: `${ns}repcard.customer-attachments.v1`,
  repcardAppointmentAttachments: `${ns}repcard.appointment-attachments.v1`,
  curagenesisPractices: `${ns}curagenesis.practices.v1`,
  curagenesisOrders: `${ns}curagenesis.orders.v1`,
  /** key: delivery id. Value: WebhookReceived. */
  curagenesisWebhooks: `${ns}curagenesis.webhooks.v1`,
  /** key: `<entity>/<id>`. Value: RepcardWebhookReceived (hints: the ingest re-fetches the record, ADR 0026). */
  repcardWebhooks: `${ns}repcard.webhooks.v1`,
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export function entitiesOf<S extends Source>(source: S): readonly EntityOf<S>[] {
  return (source === 'repcard'
    ? REPCARD_ENTITIES
    : CURAGENESIS_ENTITIES) as unknown as readonly EntityOf<S>[];
}

export function isSource(value: unknown): value is Source {
  return (SOURCES as readonly unknown[]).includes(value);
}

export function isEntityOf(source: Source, entity: string): boolean {
  return (entitiesOf(source) as readonly string[]).includes(entity);
}

/** `entityTopic('repcard', 'status_logs')` = `repcard.status-logs.v1`. Throws for a foreign entity. */
export function entityTopic<S extends Source>(source: S, entity: EntityOf<S>): string {
  if (!isSource(source) || !isEntityOf(source, entity)) {
    throw new TributaryError('UNKNOWN_ENTITY', `no entity topic for ${String(source)}/${String(entity)}`, {
      details: { source, entity },
    });
  }
  return `${ns}${source}.${entity.replace(/_/g, '-')}.v1`;
}

/** Every entity topic with its source and entity, in sync order. */
export function entityTopics(): { topic: string; source: Source; entity: Entity }[] {
  return SOURCES.flatMap((source) =>
    entitiesOf(source).map((entity) => ({ topic: entityTopic(source, entity), source, entity })),
  );
}

/** The inverse of entityTopic, or null when `topic` is not an entity topic. */
export function topicEntity(topic: string): { source: Source; entity: Entity } | null {
  const found = entityTopics().find((t) => t.topic === topic);
  return found ? { source: found.source, entity: found.entity } : null;
}

/**
 * The families of topics: provisioning (partitions, replication factor, `min.insync.replicas`) is
 * configured per family (`KAFKA_TOPIC_PARTITIONS_ENTITY`, ...), see `topicProvisioningOf`.
 */
export const TOPIC_FAMILIES = ['command', 'event', 'checkpoint', 'entity', 'webhook', 'dlq'] as const;
export type TopicFamily = (typeof TOPIC_FAMILIES)[number];

/** How a topic is created. `retentionMs: -1` keeps records forever (read models are rebuilt from them). */
export interface TopicSpec {
  name: string;
  partitions: number;
  compacted: boolean;
  retentionMs?: number;
  /** What the message key is. */
  key: string;
  /** Its family (provisioning is configured per family). */
  kind: TopicFamily;
  description: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const FOREVER = -1;

/** The dead-letter topic of `topic`: same key, original value, error and origin in headers. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

export function isDlqTopic(topic: string): boolean {
  return topic.endsWith('.dlq');
}

function primarySpecs(): TopicSpec[] {
  const entities = entityTopics().map(({ topic, source, entity }): TopicSpec => ({
    name: topic,
    partitions: 3,
    compacted: false,
    retentionMs: FOREVER,
    key: `${source} ${entity} id`,
    kind: 'entity',
    description: `RecordObserved: one raw change event per ${source} ${entity} record observed (and RecordDeleted, ADR 0024)`,
  }));
  return [
    {
      name: TOPICS.syncCommands,
      partitions: 3,
      compacted: false,
      retentionMs: 7 * DAY_MS,
      key: 'source',
      kind: 'command',
      description: 'SyncRequested: a request to run a full or incremental sync of a source',
    },
    {
      name: TOPICS.syncControl,
      partitions: 3,
      compacted: false,
      retentionMs: 7 * DAY_MS,
      key: 'syncId',
      kind: 'command',
      description:
        'SyncCancelRequested: cancel a running or queued sync (read whole by every ingest replica)',
    },
    {
      name: TOPICS.syncEvents,
      partitions: 3,
      compacted: false,
      retentionMs: 90 * DAY_MS,
      key: 'syncId',
      kind: 'event',
      description: 'SyncEvent: the progress and outcome of every sync run',
    },
    {
      name: TOPICS.checkpoints,
      partitions: 1,
      compacted: true,
      key: 'source/entity',
      kind: 'checkpoint',
      description: 'Checkpoint: incremental high-water mark and full-sync position per source/entity',
    },
    ...entities,
    {
      name: TOPICS.curagenesisWebhooks,
      partitions: 3,
      compacted: false,
      retentionMs: FOREVER,
      key: 'deliveryId',
      kind: 'webhook',
      description: 'WebhookReceived: every verified CuraGenesis webhook delivery, as received',
    },
    {
      name: TOPICS.repcardWebhooks,
      partitions: 3,
      compacted: false,
      retentionMs: 7 * DAY_MS,
      key: 'entity/id',
      kind: 'event',
      description: 'RepcardWebhookReceived: RepCard webhooks (hints), re-fetched by ingest-repcard',
    },
  ];
}

/**
 * Every topic to create: the primary topics, then a DLQ for every non-compacted one (data topics,
 * commands and events). DLQs keep their records until replayed, so they never expire.
 */
export function allTopicSpecs(): TopicSpec[] {
  const primary = primarySpecs();
  const dlqs = primary
    .filter((spec) => !spec.compacted)
    .map((spec): TopicSpec => ({
      name: dlqTopic(spec.name),
      partitions: spec.partitions,
      compacted: false,
      retentionMs: FOREVER,
      key: spec.key,
      kind: 'dlq',
      description: `Dead letters of ${spec.name}: original value, error and origin in headers`,
    }));
  return [...primary, ...dlqs];
}

export function topicSpec(name: string): TopicSpec | undefined {
  return allTopicSpecs().find((spec) => spec.name === name);
}

/** Broker config entries of a spec, in the shape of kafkajs `createTopics({ topics: [{ configEntries }] })`. */
export function topicConfigEntries(spec: TopicSpec): { name: string; value: string }[] {
  const entries = [{ name: 'cleanup.policy', value: spec.compacted ? 'compact' : 'delete' }];
  if (spec.retentionMs !== undefined) entries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  return entries;
}
