import {
  entitiesOf,
  entityTopic,
  TOPICS,
  type CuragenesisEntity,
  type RecordObserved,
  type WebhookReceived,
} from '@tributary/contracts';
import { applyRowChanges } from '../../core/apply-row-changes';
import { changed, type Notice } from '../../core/notices';
import type { Projection } from '../projection';
import { replaceOrderItems } from './item-store';
import { planCuragenesis, type CuragenesisPlan } from './plan';
import { freshEffects, planDeliveries, type DeliveriesPlan } from './webhook-plan';
import { needsKnownDelivery } from './webhook-version';
import {
  announcementsOf,
  insertDeliveries,
  knownDeliveries,
  notificationStatement,
  type CreatedNotificationRow,
  type KnownDelivery,
} from './webhook-store';

/** Each CuraGenesis entity topic, with its entity. */
const ENTITY_OF = new Map(entitiesOf('curagenesis').map((e) => [entityTopic('curagenesis', e), e] as const));

/**
 * curagenesis.<entity>.v1 (polls and webhook records) → curagenesis_practices / _orders and the
 * lines of orders that carry them.
 */
export const curagenesisProjection: Projection<
  RecordObserved,
  CuragenesisPlan,
  ReadonlyMap<string, KnownDelivery>
> = {
  name: 'curagenesis',
  topics: [...ENTITY_OF.keys()],
  lookup: (db, _topic, records) =>
    knownDeliveries(db, [
      ...new Set(records.flatMap((r) => (needsKnownDelivery(r.value) ? [r.value.deliveryId!] : []))),
    ]),
  plan: (topic, records, known) => planCuragenesis(ENTITY_OF.get(topic) as CuragenesisEntity, records, known),
  identify: (e) => ({ entity: e.entity, id: e.id, syncId: e.syncId }),
  async apply(db, plan, metrics) {
    const notices = await applyRowChanges(db, plan, metrics);
    await replaceOrderItems(db, plan.itemSets);
    return notices;
  },
};

/**
 * curagenesis.webhooks.v1 → curagenesis_webhook_deliveries, each stored once (a replay changes
 * nothing); only a delivery seen for the first time creates (and announces) its dashboard
 * notification. An order's lines are not written here: the gateway publishes the order a delivery
 * describes, lines included, to curagenesis.orders.v1 in the same transaction, and the orders
 * projection writes them with the order's version (one writer: two, each with its own version, made
 * one of them delete and write again the other's lines).
 */
export const curagenesisWebhooksProjection: Projection<WebhookReceived, DeliveriesPlan> = {
  name: 'curagenesis-webhooks',
  topics: [TOPICS.curagenesisWebhooks],
  plan: (_topic, records) => planDeliveries(records),
  identify: (d) => ({ entity: 'webhook delivery', id: d.deliveryId, syncId: null }),
  async apply(db, plan) {
    const inserted = await insertDeliveries(
      db,
      plan.deliveries.map((d) => d.row),
    );
    const effects = freshEffects(plan, inserted);
    const notifications = notificationStatement(effects.notifications);
    const created = notifications
      ? announcementsOf(effects.notifications, (await db.query<CreatedNotificationRow>(notifications)).rows)
      : [];
    const notices: Notice[] = created.map((payload) => ({ channel: 'notifications', payload }));
    notices.push(...changed('curagenesis_notifications', created.length, 0));
    notices.push(...changed('curagenesis_webhook_deliveries', effects.fresh, 0));
    return notices;
  },
};
