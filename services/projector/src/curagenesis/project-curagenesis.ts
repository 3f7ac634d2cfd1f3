import type { PoolClient } from 'pg';
import {
  TOPIC_NAMESPACE,
  TOPICS,
  topicEntity,
  type CuragenesisEntity,
  type RecordObserved,
  type WebhookReceived,
} from '@tributary/contracts';
import type { Metrics } from '@tributary/observability';
import { addTallies } from '../data-access/sync-log';
import { applyLinks, upsertRows, type Outcome } from '../data-access/upsert';
import type { ChangeNotice } from '../domain/notify';
import type { RecordFailure } from '../domain/plan-batch';
import { replaceOrderItems } from './item-store';
import { planCuragenesis, tallyCuragenesis, type CuragenesisWrite, type ItemSet } from './plan';
import { CURAGENESIS_TABLES } from './tables';
import { createNotifications, insertDeliveries, knownDeliveryEvents } from './webhook-store';
import { deliveryRow, itemSetOf, notificationOf, type NotificationDraft } from './webhooks';

export interface CuragenesisMessage {
  offset: string;
  value: unknown;
}

export interface CuragenesisOutcome {
  failures: RecordFailure[];
  notice: ChangeNotice | null;
}

/** The topics this module projects: `curagenesis.*` (entity topics and webhook deliveries). */
export function isCuragenesisTopic(topic: string): boolean {
  return topic.startsWith(`${TOPIC_NAMESPACE}curagenesis.`) && !topic.endsWith('.dlq');
}

/**
 * Applies one batch of a `curagenesis.*` topic inside the caller's transaction (which also stores the
 * offsets and sends the returned notice). Returns the records that failed, for the DLQ.
 */
export async function projectCuragenesis(
  db: PoolClient,
  topic: string,
  messages: readonly CuragenesisMessage[],
  metrics?: Metrics,
): Promise<CuragenesisOutcome> {
  if (topic === TOPICS.curagenesisWebhooks)
    return projectDeliveries(
      db,
      messages.map((m) => m.value as WebhookReceived),
    );
  const te = topicEntity(topic);
  if (!te || te.source !== 'curagenesis') return { failures: [], notice: null };
  return projectRecords(db, te.entity as CuragenesisEntity, messages, metrics);
}

async function projectRecords(
  db: PoolClient,
  entity: CuragenesisEntity,
  messages: readonly CuragenesisMessage[],
  metrics?: Metrics,
): Promise<CuragenesisOutcome> {
  const spec = CURAGENESIS_TABLES[entity];
  const planned = messages.map((m) => ({ offset: m.offset, event: m.value as RecordObserved }));
  const deliveries = [
    ...new Set(planned.map((p) => p.event.deliveryId).filter((d): d is string => d !== null)),
  ];
  const plan = planCuragenesis(entity, planned, await knownDeliveryEvents(db, deliveries));
  const outcomes = new Map<CuragenesisWrite, Outcome>();
  for (const run of plan.runs) {
    const byKey = await upsertRows(db, spec, run.writes, {
      insertOnly: run.insertOnly,
      mergeRawData: run.mergeRawData,
      sameContentIsUnchanged: true,
    });
    for (const w of run.writes) outcomes.set(w, byKey.get(w.key) ?? 'unchanged');
  }
  const keys = [...new Set(plan.runs.flatMap((r) => r.writes.map((w) => w.key)))];
  await applyLinks(db, spec, keys);
  if (entity === 'orders') await replaceOrderItems(db, plan.itemSets);
  await addTallies(db, 'curagenesis', entity, tallyCuragenesis(plan, outcomes));
  let inserted = 0;
  let updated = 0;
  for (const o of outcomes.values()) {
    if (o === 'inserted') inserted++;
    else if (o === 'updated') updated++;
    metrics?.counter('tributary_projector_rows_upserted_total').inc({ table: spec.table, outcome: o });
  }
  const syncIds = [
    ...new Set([...outcomes.keys()].map((w) => w.syncId).filter((s): s is string => s !== null)),
  ];
  return {
    failures: plan.failures,
    notice: inserted + updated > 0 ? { table: spec.table, inserted, updated, syncIds } : null,
  };
}

/**
 * Webhook deliveries: each stored once (a replay changes nothing), and only a delivery seen for the
 * first time creates its notification and writes its order lines.
 */
async function projectDeliveries(
  db: PoolClient,
  deliveries: readonly WebhookReceived[],
): Promise<CuragenesisOutcome> {
  const firstOfEach = new Map<string, WebhookReceived>();
  for (const d of deliveries) if (!firstOfEach.has(d.deliveryId)) firstOfEach.set(d.deliveryId, d);
  const unique = [...firstOfEach.values()];
  const inserted = await insertDeliveries(db, unique.map(deliveryRow));
  const fresh = unique.filter((d) => inserted.has(d.deliveryId));
  const itemSets = new Map<string, ItemSet>();
  for (const d of fresh) {
    const set = itemSetOf(d);
    const current = set ? itemSets.get(set.orderId) : undefined;
    if (set && (!current || Date.parse(current.versionAt) <= Date.parse(set.versionAt)))
      itemSets.set(set.orderId, set);
  }
  await replaceOrderItems(db, [...itemSets.values()]);
  await createNotifications(
    db,
    fresh.map(notificationOf).filter((n): n is NotificationDraft => n !== null),
  );
  return {
    failures: [],
    notice: fresh.length
      ? { table: 'curagenesis_webhook_deliveries', inserted: fresh.length, updated: 0, syncIds: [] }
      : null,
  };
}
