import { z } from 'zod';
import {
  GenericOrderPlacedBodySchema,
  GenericPracticeUpdateBodySchema,
  type GenericWebhookBody,
  type KnownWebhookBody,
  type KnownWebhookEvent,
  OrderPlacedBodySchema,
  PracticeUpdateBodySchemas,
  type WebhookEndpoint,
  isKnownWebhookEvent,
} from './webhook-payloads';
import { type FieldFailure, ROOT_FIELD, firstFailure } from './validation';

export type ParsedWebhookBody =
  | { ok: true; event: KnownWebhookEvent; known: true; value: KnownWebhookBody }
  | { ok: true; event: string; known: false; value: GenericWebhookBody }
  | ({ ok: false } & FieldFailure);

function failure(error: z.ZodError): ParsedWebhookBody {
  return { ok: false, ...firstFailure(error) };
}

function parsePracticeUpdate(body: unknown): ParsedWebhookBody {
  const generic = GenericPracticeUpdateBodySchema.safeParse(body);
  if (!generic.success) return failure(generic.error);
  const event = generic.data.event;
  if (!isKnownWebhookEvent(event)) return { ok: true, event, known: false, value: generic.data };
  const known = PracticeUpdateBodySchemas[event].safeParse(body);
  return known.success ? { ok: true, event, known: true, value: known.data } : failure(known.error);
}

function parseOrderPlaced(body: unknown): ParsedWebhookBody {
  const generic = GenericOrderPlacedBodySchema.safeParse(body);
  if (!generic.success) return failure(generic.error);
  const event = generic.data.eventType;
  if (event !== 'order.placed') return { ok: true, event, known: false, value: generic.data };
  const known = OrderPlacedBodySchema.safeParse(body);
  return known.success ? { ok: true, event, known: true, value: known.data } : failure(known.error);
}

/**
 * Validates the parsed JSON body of a webhook delivery to `endpoint`. A known event must match its
 * schema (`field` names the first failing field, e.g. `data.practiceId`); an unknown event parses
 * generically with `known: false` so that it can still be recorded.
 */
export function parseWebhookBody(endpoint: WebhookEndpoint, body: unknown): ParsedWebhookBody {
  switch (endpoint) {
    case 'practice-update':
      return parsePracticeUpdate(body);
    case 'order-placed':
      return parseOrderPlaced(body);
    default: {
      const never: never = endpoint;
      return { ok: false, field: ROOT_FIELD, message: `unknown webhook endpoint ${String(never)}` };
    }
  }
}
