import { z } from 'zod';
import { idLike, nonEmpty, optionalNumeric, optionalRef, optionalText } from './primitives';

/**
 * Bodies of CuraGenesis webhook deliveries, as the existing CRM expects them (API-NOTES.md; the
 * real scheme is unconfirmed). Lenient: objects are loose and every field but the record id may be
 * absent or null. Event names we do not know still parse, generically, and are flagged unknown.
 */
export const WEBHOOK_ENDPOINTS = ['practice-update', 'order-placed'] as const;
export type WebhookEndpoint = (typeof WEBHOOK_ENDPOINTS)[number];

export const KNOWN_WEBHOOK_EVENTS = [
  'practice.created',
  'practice.updated',
  'order.placed',
  'practice.activated',
] as const;
export type KnownWebhookEvent = (typeof KNOWN_WEBHOOK_EVENTS)[number];

export function isKnownWebhookEvent(event: string): event is KnownWebhookEvent {
  return (KNOWN_WEBHOOK_EVENTS as readonly string[]).includes(event);
}

/** Data of practice.created and practice.updated. */
export const PracticeChangedDataSchema = z.looseObject({
  userId: optionalRef,
  practiceId: idLike,
  totalOrders: optionalNumeric,
  state: optionalText,
  specialty: optionalText,
  salesRep: optionalText,
});

export const OrderPlacedDataSchema = z.looseObject({
  userId: optionalRef,
  orderId: idLike,
  orderAmount: optionalNumeric,
  orderDate: optionalText,
});

export const PracticeActivatedDataSchema = z.looseObject({
  userId: optionalRef,
  practiceId: idLike,
  /** ISO string or epoch milliseconds (unconfirmed). */
  activatedAt: optionalNumeric,
});

/** Known bodies of `POST .../practice-update`: `{ event, data }`. */
export const PracticeUpdateBodySchemas = {
  'practice.created': z.looseObject({
    event: z.literal('practice.created'),
    data: PracticeChangedDataSchema,
  }),
  'practice.updated': z.looseObject({
    event: z.literal('practice.updated'),
    data: PracticeChangedDataSchema,
  }),
  'order.placed': z.looseObject({ event: z.literal('order.placed'), data: OrderPlacedDataSchema }),
  'practice.activated': z.looseObject({
    event: z.literal('practice.activated'),
    data: PracticeActivatedDataSchema,
  }),
} as const satisfies Record<KnownWebhookEvent, z.ZodType>;

export type PracticeUpdateBody = z.infer<
  (typeof PracticeUpdateBodySchemas)[keyof typeof PracticeUpdateBodySchemas]
>;

/** A practice-update body whose event we do not know. */
export const GenericPracticeUpdateBodySchema = z.looseObject({
  event: nonEmpty,
  data: z.record(z.string(), z.unknown()),
});
export type GenericPracticeUpdateBody = z.infer<typeof GenericPracticeUpdateBodySchema>;

export const OrderItemSchema = z.looseObject({
  sku: optionalText,
  productName: optionalText,
  quantity: optionalNumeric,
  unitPrice: optionalNumeric,
});

/** Body of `POST .../order-placed`. */
export const OrderPlacedBodySchema = z.looseObject({
  eventType: z.literal('order.placed'),
  order: z.looseObject({
    id: idLike,
    userId: optionalRef,
    practiceId: optionalRef,
    practiceName: optionalText,
    orderDate: optionalText,
    totalAmount: optionalNumeric,
    status: optionalText,
    items: z.array(OrderItemSchema).nullish(),
  }),
});
export type OrderPlacedBody = z.infer<typeof OrderPlacedBodySchema>;

/** An order-placed body whose eventType is not order.placed. */
export const GenericOrderPlacedBodySchema = z.looseObject({ eventType: nonEmpty });
export type GenericOrderPlacedBody = z.infer<typeof GenericOrderPlacedBodySchema>;

export type KnownWebhookBody = PracticeUpdateBody | OrderPlacedBody;
export type GenericWebhookBody = GenericPracticeUpdateBody | GenericOrderPlacedBody;
