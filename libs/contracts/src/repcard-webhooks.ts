import { z } from 'zod';
import { isoDateTime, present, uuid } from './primitives';

/**
 * The RepCard webhooks we accept (API-NOTES: *unconfirmed*, from public integrator code): one URL
 * per event, unsigned, so each is only a hint that a record changed (ADR 0026). The slug is the last
 * segment of its secret path; `entity` is the record to re-fetch.
 */
export const REPCARD_WEBHOOK_EVENTS = {
  'appointment-set': 'appointments',
  'appointment-updated': 'appointments',
  'appointment-outcome': 'appointments',
  'contact-new': 'customers',
  'contact-updated': 'customers',
  'contact-removed': 'customers',
  'user-new': 'users',
  'user-updated': 'users',
  'user-removed': 'users',
} as const;
export type RepcardWebhookEvent = keyof typeof REPCARD_WEBHOOK_EVENTS;
export const REPCARD_WEBHOOK_EVENT_NAMES = Object.keys(REPCARD_WEBHOOK_EVENTS) as RepcardWebhookEvent[];

export function isRepcardWebhookEvent(value: string): value is RepcardWebhookEvent {
  return Object.hasOwn(REPCARD_WEBHOOK_EVENTS, value);
}

/**
 * RepcardWebhookReceived v1, on `repcard.webhooks.v1` keyed by `<entity>/<id>`: one RepCard webhook
 * as received (nothing in it is trusted: the ingest re-fetches the record it names). `id` is the
 * record's id and `customerId` an appointment's contact id, as read from the body (null when absent).
 */
export const RepcardWebhookReceivedSchema = z.object({
  type: z.literal('RepcardWebhookReceived'),
  version: z.literal(1),
  deliveryId: uuid,
  receivedAt: isoDateTime,
  event: z.enum(REPCARD_WEBHOOK_EVENT_NAMES as [RepcardWebhookEvent, ...RepcardWebhookEvent[]]),
  entity: z.enum(['customers', 'appointments', 'users']),
  id: z.string().min(1).nullable(),
  customerId: z.string().min(1).nullable(),
  body: present,
});
export type RepcardWebhookReceived = z.infer<typeof RepcardWebhookReceivedSchema>;

function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d{1,18}$/.test(value.trim())) return value.trim();
  return null;
}

function field(body: unknown, ...path: string[]): unknown {
  let v: unknown = body;
  for (const key of path)
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * What a RepCard webhook body names (pure): the record id (`id`, or `contact.id` / `user.id` for the
 * contact and user events whose body is the wrapped record), and an appointment's customer.
 */
export function repcardWebhookTarget(
  event: RepcardWebhookEvent,
  body: unknown,
): { entity: RepcardWebhookReceived['entity']; id: string | null; customerId: string | null } {
  const entity = REPCARD_WEBHOOK_EVENTS[event];
  if (entity === 'appointments') {
    return {
      entity,
      id: idOf(field(body, 'id')) ?? idOf(field(body, 'appointment', 'id')),
      customerId: idOf(field(body, 'contact', 'id')) ?? idOf(field(body, 'contactId')),
    };
  }
  const wrapper = entity === 'customers' ? 'contact' : 'user';
  return { entity, id: idOf(field(body, 'id')) ?? idOf(field(body, wrapper, 'id')), customerId: null };
}
