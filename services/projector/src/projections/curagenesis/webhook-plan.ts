import type { WebhookReceived } from '@tributary/contracts';
import type { RecordFailure } from '../../core/record-failure';
import type { ProjectedRecord } from '../projection';
import { deliveryRow, notificationOf, type DeliveryRow, type NotificationDraft } from './webhooks';

/** One delivery, what it would write, and what it announces, should it be new. */
export interface PlannedDelivery {
  row: DeliveryRow;
  notification: NotificationDraft | null;
}

export interface DeliveriesPlan {
  /** Each delivery once (the first of a batch's copies), in order. */
  deliveries: PlannedDelivery[];
  failures: RecordFailure[];
}

/** Plans a batch of curagenesis.webhooks.v1: a delivery seen twice in the batch is planned once. */
export function planDeliveries(records: readonly ProjectedRecord<WebhookReceived>[]): DeliveriesPlan {
  const firstOfEach = new Map<string, WebhookReceived>();
  for (const { value } of records)
    if (!firstOfEach.has(value.deliveryId)) firstOfEach.set(value.deliveryId, value);
  const deliveries = [...firstOfEach.values()].map((d) => ({
    row: deliveryRow(d),
    notification: notificationOf(d),
  }));
  return { deliveries, failures: [] };
}

/**
 * What the deliveries stored for the first time do (`inserted`: their ids; a replayed delivery does
 * nothing): their notifications.
 */
export function freshEffects(
  plan: DeliveriesPlan,
  inserted: ReadonlySet<string>,
): { fresh: number; notifications: NotificationDraft[] } {
  const fresh = plan.deliveries.filter((d) => inserted.has(d.row.delivery_id));
  return {
    fresh: fresh.length,
    notifications: fresh.flatMap((d) => (d.notification ? [d.notification] : [])),
  };
}
