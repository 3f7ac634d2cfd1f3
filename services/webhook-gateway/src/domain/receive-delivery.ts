import { ConfigError, DependencyError, TributaryError, errorMessage } from '@tributary/core';
import { parseWebhookBody, type WebhookEndpoint, type WebhookReceived } from '@tributary/contracts';
import type { DedupWindow } from './dedup-window';
import { deliveryEvents, type OutgoingEvent } from './delivery-events';
import { deliveryIdOf } from './delivery-id';
import { signingKeys, verifySignature, type SignatureHeaders, type SignatureRejection } from './signature';

export interface DeliveryRequest {
  endpoint: WebhookEndpoint;
  headers: SignatureHeaders;
  /** The exact bytes received: what the signature covers. */
  rawBody: Buffer;
  receivedAt: Date;
}

/** What became of a delivery, and what to answer. */
export type DeliveryResult =
  | { outcome: 'accepted'; status: 202; deliveryId: string; event: string; known: boolean; events: number }
  | { outcome: 'duplicate'; status: 200; deliveryId: string }
  | { outcome: 'unauthorized'; status: 401; reason: SignatureRejection; message: string }
  | {
      outcome: 'invalid';
      status: 400;
      code: 'INVALID_JSON' | 'VALIDATION_FAILED';
      message: string;
      deliveryId: string;
      field?: string;
    }
  | { outcome: 'failed'; status: 500 | 503; deliveryId: string; error: TributaryError };

export interface DeliveryReceiverOptions {
  secret: string;
  toleranceSec: number;
  dedup: DedupWindow;
  /** Publishes the events of one delivery in ONE Kafka transaction; resolves once Kafka acknowledged. */
  publish(events: OutgoingEvent[]): Promise<void>;
  /** A monotonic clock for the dedup window, ms (default performance.now). */
  monotonicMs?: () => number;
}

export interface DeliveryReceiver {
  receive(request: DeliveryRequest): Promise<DeliveryResult>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON value: never undefined. */
type JsonValue = WebhookReceived['body'];

function parseJson(rawBody: Buffer): { ok: true; value: JsonValue } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(rawBody)) as JsonValue };
  } catch (err) {
    return { ok: false, message: `body is not UTF-8 JSON: ${errorMessage(err)}` };
  }
}

function asTributaryError(err: unknown): TributaryError {
  if (err instanceof TributaryError) return err;
  return new DependencyError('KAFKA_TRANSACTION_FAILED', `publish failed: ${errorMessage(err)}`, {
    cause: err,
  });
}

/**
 * The gateway's rules for one delivery, in order: the signature (401, nothing else is looked at
 * before it), then duplicates (200; a repeat of a delivery still being published waits for it), the
 * JSON (400) and its schema (400 naming the failing field), then ONE transaction with its events,
 * answered 202 only once Kafka acknowledged it. A delivery is remembered only once published, so
 * a failed publication (503) can be retried by the sender. No kafkajs here: `publish` is given.
 */
export function createDeliveryReceiver(options: DeliveryReceiverOptions): DeliveryReceiver {
  if (options.secret.length === 0) {
    // Never accept unsigned bodies: a receiver without a secret is a bug, not a mode.
    throw new ConfigError('CURAGENESIS_WEBHOOK_SECRET', 'the webhook secret must not be empty');
  }
  const keys = signingKeys(options.secret);
  const { dedup, toleranceSec } = options;
  const monotonicMs = options.monotonicMs ?? (() => performance.now());
  /** Deliveries being published now: resolves true when that publication succeeded. */
  const inFlight = new Map<string, Promise<boolean>>();

  async function receive(request: DeliveryRequest): Promise<DeliveryResult> {
    const { endpoint, rawBody, receivedAt } = request;
    const check = verifySignature(request.headers, rawBody, {
      keys,
      nowMs: receivedAt.getTime(),
      toleranceSec,
    });
    if (!check.ok)
      return { outcome: 'unauthorized', status: 401, reason: check.reason, message: check.message };
    const deliveryId = deliveryIdOf(check.webhookId, rawBody);

    for (;;) {
      if (dedup.has(deliveryId, monotonicMs())) return { outcome: 'duplicate', status: 200, deliveryId };
      const pending = inFlight.get(deliveryId);
      if (!pending) break;
      if (await pending) return { outcome: 'duplicate', status: 200, deliveryId };
      // That attempt failed: this one tries again (unless another repeat got there first).
    }

    const json = parseJson(rawBody);
    if (!json.ok)
      return { outcome: 'invalid', status: 400, code: 'INVALID_JSON', message: json.message, deliveryId };
    const parsed = parseWebhookBody(endpoint, json.value);
    if (!parsed.ok) {
      return {
        outcome: 'invalid',
        status: 400,
        code: 'VALIDATION_FAILED',
        message: `${parsed.field}: ${parsed.message}`,
        field: parsed.field,
        deliveryId,
      };
    }

    const events = deliveryEvents({
      deliveryId,
      endpoint,
      receivedAt: receivedAt.toISOString(),
      signatureScheme: check.scheme,
      webhookTimestamp:
        check.timestampSec === null ? null : new Date(check.timestampSec * 1000).toISOString(),
      body: json.value,
      parsed,
    });
    let settle: (published: boolean) => void = () => undefined;
    inFlight.set(deliveryId, new Promise<boolean>((resolve) => (settle = resolve)));
    try {
      await options.publish(events);
      dedup.remember(deliveryId, monotonicMs());
      settle(true);
      return {
        outcome: 'accepted',
        status: 202,
        deliveryId,
        event: parsed.event,
        known: parsed.known,
        events: events.length,
      };
    } catch (err) {
      settle(false);
      const error = asTributaryError(err);
      // A fenced producer means another instance took our transactional id: another replica (or
      // this one, later) can take the delivery, so the sender is told to retry, as for any outage.
      const status = error.retriable || error.code === 'KAFKA_PRODUCER_FENCED' ? 503 : 500;
      return { outcome: 'failed', status, deliveryId, error };
    } finally {
      inFlight.delete(deliveryId);
    }
  }

  return { receive };
}
