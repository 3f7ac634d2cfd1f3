import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  entityTopic,
  RecordObservedContract,
  type EntityEvent,
  type RecordDeleted,
  type Source,
} from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
import { runBatchConsumer, type OutgoingRecord, type SchemaCodec } from '@tributary/kafka';
import type { Logger, Metrics } from '@tributary/observability';
import type { JsonGetter } from '../fetchers';
import { observe } from '../observe';
import { observedRecord, type AtomicPublisher } from '../outgoing';
import type { HintDefinition, HintTarget, RefetchAnswer } from './hint-definition';
import { mapLimited } from '../map-limited';

export interface HintConsumerOptions<S extends Source, V> {
  kafka: Kafka;
  codec: SchemaCodec;
  groupId: string;
  source: S;
  definition: HintDefinition<S, V>;
  /** The source client as the `hint` budget class (`SourceClient.withPriority('hint')`). */
  client: JsonGetter;
  publisher: AtomicPublisher;
  sessionTimeoutMs: number;
  /** Re-fetches in flight at once. */
  concurrency?: number;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

/**
 * Webhooks as hints (issue 13 item 4, ADR 0026): reads the source's webhook topic in its own group
 * and, for every record a delivery names, asks the source for it (highest budget class) and
 * publishes the answer as a RecordObserved with origin `re-fetch`, which the projector writes like a
 * poll: a replayed, late or partial webhook is followed by the source's own version of the record.
 * A removal the source confirms (the record is gone) is published as RecordDeleted. The records of
 * one batch go out in one transaction, then the batch is committed (a crash re-fetches again:
 * harmless). A record the source cannot answer for is logged and left to the next sync.
 */
export async function runHintConsumer<S extends Source, V>(
  o: HintConsumerOptions<S, V>,
): Promise<{ stop(): Promise<void>; done: Promise<void> }> {
  const now = o.now ?? (() => new Date());
  const counter = o.metrics.counter('tributary_webhook_hints_total');
  const consumer = await runBatchConsumer<V>({
    kafka: o.kafka,
    groupId: o.groupId,
    topics: [o.definition.contract.topic],
    codec: o.codec,
    contractFor: () => o.definition.contract,
    fromBeginning: false,
    maxWaitTimeInMs: 100,
    sessionTimeout: o.sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, Math.floor(o.sessionTimeoutMs / 5)),
    logger: o.logger,
    metrics: o.metrics,
    async handleBatch(batch) {
      const targets = new Map<string, HintTarget<S>>();
      for (const m of batch.messages)
        for (const t of o.definition.targetsOf(m.value)) targets.set(`${t.entity}/${t.id}`, t);
      const answers = await mapLimited([...targets.values()], o.concurrency ?? 4, async (t) => ({
        target: t,
        answer: await refetchOne(o, t),
      }));
      const out: OutgoingRecord<EntityEvent>[] = [];
      for (const { target, answer } of answers) {
        const outcome = answer.kind === 'absent' && !target.removal ? 'unknown' : answer.kind;
        counter.inc({ source: o.source, entity: target.entity, outcome });
        const record = toRecord(o.source, target, answer, now().toISOString());
        if (record) out.push(record);
        // One line per delivery is the webhook rate: at debug (the outcomes are counted in
        // tributary_webhook_hints_total), except a record the source could not answer for (left to
        // the next sync, ADR 0026), which an operator may want to look at.
        const log = outcome === 'unknown' ? o.logger.info.bind(o.logger) : o.logger.debug.bind(o.logger);
        log('webhook.hint.refetched', `${o.source} ${target.entity} ${target.id}: ${outcome}`, {
          entity: target.entity,
          id: target.id,
          deliveryId: target.deliveryId,
          outcome,
          ...(answer.kind === 'unknown' ? { why: answer.why } : {}),
        });
      }
      if (out.length > 0) await o.publisher.publishAtomically(out);
    },
  });
  return consumer;
}

async function refetchOne<S extends Source, V>(
  o: HintConsumerOptions<S, V>,
  target: HintTarget<S>,
): Promise<RefetchAnswer> {
  try {
    return await o.definition.refetch(o.client, target);
  } catch (err) {
    o.logger.warn('webhook.hint.failed', `${o.source} ${target.entity} ${target.id}: ${errorMessage(err)}`, {
      entity: target.entity,
      id: target.id,
      deliveryId: target.deliveryId,
    });
    return { kind: 'unknown', why: errorMessage(err) };
  }
}

/** The event a re-fetch publishes: the record as observed now, or its deletion (a confirmed removal). */
function toRecord<S extends Source>(
  source: S,
  target: HintTarget<S>,
  answer: RefetchAnswer,
  observedAt: string,
): OutgoingRecord<EntityEvent> | null {
  const topic = entityTopic(source, target.entity);
  if (answer.kind === 'found') {
    const { value } = observe(source, target.entity, answer.record, observedAt, null, target.deliveryId);
    return observedRecord(topic, { ...value, origin: 're-fetch', deliveryId: target.deliveryId });
  }
  if (answer.kind === 'absent' && target.removal) {
    const deleted: RecordDeleted = {
      type: 'RecordDeleted',
      version: 1,
      eventId: randomUUID(),
      source,
      entity: target.entity,
      id: target.id,
      deletedAt: target.receivedAt,
      syncId: `webhook:${target.deliveryId}`,
      observedAt,
    };
    return { contract: RecordObservedContract(topic), key: target.id, value: deleted };
  }
  return null;
}
