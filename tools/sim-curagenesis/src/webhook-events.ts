/**
 * Webhook bodies as the existing CRM expects them (API-NOTES.md), built from the data set so they
 * agree with what the API answers:
 *  - practice-update endpoint: `{event, data}` for practice.created | practice.updated | order.placed |
 *    practice.activated;
 *  - order-placed endpoint: `{eventType:'order.placed', order:{...,items}}`.
 * A delivery's id (the Standard Webhooks `webhook-id`) is a hash of endpoint and body, so the same
 * event always has the same id.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '@tributary/core';
import type { Dataset } from './dataset';
import type { Order, Practice } from './types';

export type WebhookEndpoint = 'practice-update' | 'order-placed';

export const WEBHOOK_PATHS: Record<WebhookEndpoint, string> = {
  'practice-update': '/api/webhooks/curagenesis/practice-update',
  'order-placed': '/api/webhooks/curagenesis/order-placed',
};

export type WebhookEventName =
  'practice.created' | 'practice.updated' | 'order.placed' | 'practice.activated';

export interface WebhookDelivery {
  endpoint: WebhookEndpoint;
  event: WebhookEventName;
  /** Standard Webhooks message id. */
  id: string;
  body: Record<string, unknown>;
}

/** Whether practice.activated carries activatedAt as an ISO string (default) or epoch ms (unconfirmed). */
export type ActivatedAtFormat = 'iso' | 'epoch';

function delivery(
  endpoint: WebhookEndpoint,
  event: WebhookEventName,
  body: Record<string, unknown>,
): WebhookDelivery {
  const digest = createHash('sha256')
    .update(endpoint)
    .update('\n')
    .update(JSON.stringify(body))
    .digest('base64url');
  return { endpoint, event, id: `msg_${digest.slice(0, 27)}`, body };
}

function practiceData(p: Practice): Record<string, unknown> {
  return {
    userId: p.userId,
    practiceId: p.practiceId,
    totalOrders: p.totalOrders,
    state: p.state,
    specialty: p.specialty,
    salesRep: p.salesRep,
  };
}

function requirePractice(dataset: Dataset, practiceId: string): Practice {
  const p = dataset.practiceById(practiceId);
  if (!p) throw new ValidationError(`unknown practice ${practiceId}`);
  return p;
}

function requireOrder(dataset: Dataset, orderId: string): Order {
  const o = dataset.orderById(orderId);
  if (!o) throw new ValidationError(`unknown order ${orderId}`);
  return o;
}

/** practice.created; `asCreated` describes the practice as first created (no orders, first version). */
export function practiceCreatedEvent(
  dataset: Dataset,
  practiceId: string,
  asCreated = false,
): WebhookDelivery {
  const p = asCreated ? dataset.createdPractice(practiceId) : requirePractice(dataset, practiceId);
  return delivery('practice-update', 'practice.created', {
    event: 'practice.created',
    data: practiceData(p),
  });
}

export function practiceUpdatedEvent(dataset: Dataset, practiceId: string): WebhookDelivery {
  const p = requirePractice(dataset, practiceId);
  return delivery('practice-update', 'practice.updated', {
    event: 'practice.updated',
    data: practiceData(p),
  });
}

export function practiceActivatedEvent(
  dataset: Dataset,
  practiceId: string,
  format: ActivatedAtFormat = 'iso',
): WebhookDelivery {
  const p = requirePractice(dataset, practiceId);
  if (p.activatedAt === null) throw new ValidationError(`practice ${practiceId} is not activated`);
  const activatedAt = format === 'iso' ? p.activatedAtIso : p.activatedAt;
  return delivery('practice-update', 'practice.activated', {
    event: 'practice.activated',
    data: { userId: p.userId, practiceId: p.practiceId, activatedAt },
  });
}

/** order.placed on the practice-update endpoint (short form). */
export function orderPlacedUpdateEvent(dataset: Dataset, orderId: string): WebhookDelivery {
  const o = requireOrder(dataset, orderId);
  const p = requirePractice(dataset, o.practice_id);
  return delivery('practice-update', 'order.placed', {
    event: 'order.placed',
    data: { userId: p.userId, orderId: o.order_id, orderAmount: o.total_amount, orderDate: o.order_date },
  });
}

/** order.placed on the order-placed endpoint (full order with its lines). */
export function orderPlacedEvent(dataset: Dataset, orderId: string): WebhookDelivery {
  const o = requireOrder(dataset, orderId);
  const p = requirePractice(dataset, o.practice_id);
  return delivery('order-placed', 'order.placed', {
    eventType: 'order.placed',
    order: {
      id: o.order_id,
      userId: p.userId,
      practiceId: p.practiceId,
      practiceName: dataset.practiceName(p.practiceId),
      orderDate: o.order_date,
      totalAmount: o.total_amount,
      status: 'placed',
      items: dataset.orderItems(o.order_id),
    },
  });
}

/**
 * An out-of-order pair: practice.updated (current state) delivered before practice.created (the state
 * at creation). A receiver must end with the updated state.
 */
export function outOfOrderSequence(dataset: Dataset, practiceId: string): WebhookDelivery[] {
  return [practiceUpdatedEvent(dataset, practiceId), practiceCreatedEvent(dataset, practiceId, true)];
}
