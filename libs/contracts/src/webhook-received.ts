import { z } from 'zod';
import { isoDateTime, nonEmpty, present } from './primitives';
import { WEBHOOK_ENDPOINTS, isKnownWebhookEvent } from './webhook-payloads';

export const SIGNATURE_SCHEMES = ['hmac-sha256-hex', 'standard-webhooks'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

/**
 * WebhookReceived v1, on `curagenesis.webhooks.v1` keyed by deliveryId: one verified delivery, as
 * received. `known` says whether its event is one we can read (see parseWebhookBody).
 */
export const WebhookReceivedSchema = z
  .object({
    type: z.literal('WebhookReceived'),
    version: z.literal(1),
    deliveryId: nonEmpty,
    receivedAt: isoDateTime,
    endpoint: z.enum(WEBHOOK_ENDPOINTS),
    /** `event` of a practice-update body, `eventType` of an order-placed body. */
    event: nonEmpty,
    known: z.boolean(),
    signatureScheme: z.enum(SIGNATURE_SCHEMES),
    /** The signed timestamp (Standard Webhooks); null for the timestamp-less HMAC scheme. */
    webhookTimestamp: isoDateTime.nullable(),
    /** The parsed JSON body, untouched. */
    body: present,
  })
  .superRefine((value, ctx) => {
    if (value.known && !isKnownWebhookEvent(value.event)) {
      ctx.addIssue({ code: 'custom', path: ['known'], message: `${value.event} is not a known event` });
    }
  });
export type WebhookReceived = z.infer<typeof WebhookReceivedSchema>;
