import { ConfigError, DependencyError, TributaryError, errorMessage } from '@tributary/core';
import { parseWebhookBody, type WebhookEndpoint, type WebhookReceived } from '@tributary/contracts';
import type { DedupStore } from './dedup-store';
import type { DedupWindow } from './dedup-window';
import { deliveryEvents, type OutgoingEvent } from './delivery-events';
import { deliveryIdOf } from './delivery-id';
import { signingKeys, verifySignature, type SignatureHeaders, type SignatureRejection } from './signature';
import { withDeadline } from './deadline';

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
  /** The one secret (CURAGENESIS_WEBHOOK_SECRET); `secrets` adds others (rotation). */
  secret?: string;
  /** Every active secret: a delivery signed with any of them is accepted. */
  secrets?: readonly string[];
  toleranceSec: number;
  /** This process's memory of accepted ids (a cache in front of `store`, or all there is without one). */
  dedup: DedupWindow;
  /**
   * The dedup table shared by every replica and kept across restarts (PostgreSQL). Without it, only
   * this process's memory deduplicates.
   */
  store?: DedupStore;
  /** Publishes the events of one delivery in ONE Kafka transaction; resolves once Kafka acknowledged. */
  publish(events: OutgoingEvent[]): Promise<void>;
  /**
   * The longest a delivery waits for the store and Kafka before it is answered 503 (default: no
   * limit). A publication still running then goes on in the background: if it commits, the delivery
   * is marked accepted, so the sender's retry is answered 200 duplicate.
   */
  publishTimeoutMs?: number;
  /** Told when marking or releasing a claim after the answer failed (logged by the caller). */
  onBackgroundError?: (what: 'accept' | 'release', deliveryId: string, err: unknown) => void;
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
 * before it), then duplicates known to this process (200; a repeat of a delivery still being
 * published here waits for it), the JSON (400) and its schema (400 naming the failing field), then
 * the shared dedup store's claim (200 when accepted within the window, 503 while another replica
 * holds it), then ONE transaction with its events, answered 202 only once Kafka acknowledged it. A
 * delivery is remembered only once published, so a failed publication (503) can be retried by the
 * sender. Waiting on the store and Kafka is bounded by `publishTimeoutMs` (then 503). No kafkajs and
 * no pg here: `publish` and `store` are given.
 */
export function createDeliveryReceiver(options: DeliveryReceiverOptions): DeliveryReceiver {
  const secrets = [
    ...new Set([...(options.secret ? [options.secret] : []), ...(options.secrets ?? [])]),
  ].filter((s) => s.length > 0);
  if (secrets.length === 0) {
    // Never accept unsigned bodies: a receiver without a secret is a bug, not a mode.
    throw new ConfigError('CURAGENESIS_WEBHOOK_SECRET', 'the webhook secret must not be empty');
  }
  const keys = secrets.map(signingKeys);
  const { dedup, toleranceSec, store } = options;
  const timeoutMs = options.publishTimeoutMs ?? Number.POSITIVE_INFINITY;
  const monotonicMs = options.monotonicMs ?? (() => performance.now());
  const background = options.onBackgroundError ?? (() => undefined);
  /** Deliveries being published now: resolves true when that publication succeeded. */
  const inFlight = new Map<string, Promise<boolean>>();

  const timedOut = (deliveryId: string, what: string) =>
    new DependencyError(
      'WEBHOOK_STORE_TIMEOUT',
      `${what} did not answer within ${timeoutMs} ms (WEBHOOK_PUBLISH_TIMEOUT_MS)`,
      { details: { deliveryId } },
    );

  function failed(deliveryId: string, err: unknown): DeliveryResult {
    const error = asTributaryError(err);
    // A fenced producer means another instance took our transactional id: another replica (or
    // this one, later) can take the delivery, so the sender is told to retry, as for any outage.
    const status = error.retriable || error.code === 'KAFKA_PRODUCER_FENCED' ? 503 : 500;
    return { outcome: 'failed', status, deliveryId, error };
  }

  /** Publishes a claimed delivery; settles the claim whenever the publication ends (even after the answer). */
  function publishClaimed(deliveryId: string, events: OutgoingEvent[]): Promise<void> {
    const publication = options.publish(events);
    publication.then(
      () => {
        dedup.remember(deliveryId, monotonicMs());
        if (store) store.accepted(deliveryId).catch((err: unknown) => background('accept', deliveryId, err));
      },
      () => {
        if (store) store.release(deliveryId).catch((err: unknown) => background('release', deliveryId, err));
      },
    );
    return publication;
  }

  async function receive(request: DeliveryRequest): Promise<DeliveryResult> {
    const { endpoint, rawBody, receivedAt } = request;
    const startedMs = monotonicMs();
    const remainingMs = () => Math.max(0, timeoutMs - (monotonicMs() - startedMs));
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
      let published: boolean;
      try {
        published = await withDeadline(pending, remainingMs(), () => timedOut(deliveryId, 'the first copy'));
      } catch (err) {
        return failed(deliveryId, err);
      }
      if (published) return { outcome: 'duplicate', status: 200, deliveryId };
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
    const attempt = new Promise<boolean>((resolve) => (settle = resolve));
    inFlight.set(deliveryId, attempt);
    let publishing = false;
    try {
      if (store) {
        const claim = await withDeadline(store.claim(deliveryId), remainingMs(), () =>
          timedOut(deliveryId, 'the dedup table'),
        );
        if (claim === 'accepted') {
          dedup.remember(deliveryId, monotonicMs());
          settle(true);
          return { outcome: 'duplicate', status: 200, deliveryId };
        }
        if (claim === 'pending') {
          settle(false);
          return failed(
            deliveryId,
            new DependencyError(
              'WEBHOOK_IN_PROGRESS',
              `delivery ${deliveryId} is being published by another gateway replica`,
            ),
          );
        }
      }
      const publication = publishClaimed(deliveryId, events);
      publishing = true;
      // The answer waits for the commit until the deadline; the publication itself goes on.
      publication.then(
        () => settle(true),
        () => settle(false),
      );
      await withDeadline(publication, remainingMs(), () => timedOut(deliveryId, 'Kafka'));
      return {
        outcome: 'accepted',
        status: 202,
        deliveryId,
        event: parsed.event,
        known: parsed.known,
        events: events.length,
      };
    } catch (err) {
      // Before the publication started (the claim failed or timed out), nothing is running: done.
      if (!publishing) settle(false);
      return failed(deliveryId, err);
    } finally {
      // Repeats arriving later consult the dedup window (or the store); only the first copy's
      // attempt is waited on while it runs.
      void attempt.then(() => {
        if (inFlight.get(deliveryId) === attempt) inFlight.delete(deliveryId);
      });
    }
  }

  return { receive };
}
