import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import { errorMessage } from '@tributary/core';
import { WEBHOOK_ENDPOINTS, type WebhookEndpoint } from '@tributary/contracts';
import type { ErrorBody } from '@tributary/http';
import type { Logger, Metrics } from '@tributary/observability';
import { isJsonContentType } from '../domain/content-type';
import { createAdmissionControl, type AdmissionControl, type AdmissionRefusal } from '../domain/admission';
import type { DeliveryReceiver, DeliveryResult } from '../domain/receive-delivery';
import { HEX_SIGNATURE_HEADER, STANDARD_HEADERS, type SignatureHeaders } from '../domain/signature';

export const WEBHOOK_PATHS: Record<WebhookEndpoint, string> = {
  'practice-update': '/api/webhooks/curagenesis/practice-update',
  'order-placed': '/api/webhooks/curagenesis/order-placed',
};

export interface WebhookRoutesOptions {
  receiver: DeliveryReceiver;
  /** Largest body read (body-parser size, e.g. '256kb'); beyond it: 413. */
  bodyLimit: string | number;
  logger: Logger;
  metrics: Metrics;
  /**
   * Decides, before a delivery's body is read, whether it is taken; a refusal is answered at once
   * with Retry-After (default: `maxInFlight` alone).
   */
  admission?: AdmissionControl;
  /**
   * Without `admission`: deliveries handled at once beyond which a new one is answered 429
   * WEBHOOK_OVERLOADED with Retry-After at once, before its body is read (default: no limit).
   */
  maxInFlight?: number;
  /** Retry-After of a 503 or 429, seconds (default 5). */
  retryAfterSec?: number;
}

/** Outcomes of the metric `tributary_webhook_deliveries_total` decided here, before the receiver. */
type HttpOutcome = 'unsupported_media_type' | 'too_large' | 'invalid' | 'shed' | 'unavailable' | 'abandoned';

/** Logs at most one line per interval for a burst of alike events, with how many were folded in. */
function everyInterval(intervalMs: number, log: (count: number) => void): () => void {
  let last = Number.NEGATIVE_INFINITY;
  let folded = 0;
  return () => {
    folded++;
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    log(folded);
    folded = 0;
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function signatureHeaders(req: Request): SignatureHeaders {
  return {
    hexSignature: header(req, HEX_SIGNATURE_HEADER),
    webhookId: header(req, STANDARD_HEADERS.id),
    webhookTimestamp: header(req, STANDARD_HEADERS.timestamp),
    webhookSignature: header(req, STANDARD_HEADERS.signature),
  };
}

function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): void {
  const body: ErrorBody = { error: { code, message, details } };
  sendJson(res, status, body);
}

/** Writes a small JSON answer directly (no ETag, no content negotiation: a webhook sender reads the status). */
function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads the exact body bytes (no parsing), bounded by the limit. Rejects with body-parser's error. */
function readRawBody(parser: RequestHandler, req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    void parser(req, res, (err?: unknown) => {
      if (err) reject(err);
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    });
  });
}

/** body-parser's refusal of a body as status, error code and metric outcome. */
function bodyReadFailure(err: unknown): { status: number; code: string; outcome: HttpOutcome } {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return { status: 413, code: 'PAYLOAD_TOO_LARGE', outcome: 'too_large' };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', outcome: 'unsupported_media_type' };
  }
  return { status: 400, code: 'BAD_REQUEST', outcome: 'invalid' };
}

/**
 * `POST /api/webhooks/curagenesis/practice-update` and `.../order-placed`. The checks run in this
 * order: Content-Type (415), size (413), then the receiver: signature (401), duplicate (200), JSON and
 * schema (400), publication (202 once Kafka acknowledged; 503 when it could not). Every refusal is
 * logged with its reason (never the secret or a signature) and nothing is published for it.
 */
export function mountWebhookRoutes(app: Express, options: WebhookRoutesOptions): void {
  const { receiver, logger, metrics } = options;
  const admission =
    options.admission ??
    createAdmissionControl(
      {
        maxInFlight: options.maxInFlight ?? Number.POSITIVE_INFINITY,
        maxEventLoopDelayMs: Number.POSITIVE_INFINITY,
        delayShedMinInFlight: 0,
        maxQueuedToKafka: Number.POSITIVE_INFINITY,
      },
      { eventLoopDelayMs: () => 0, queuedToKafka: () => 0 },
    );
  const retryAfter = String(options.retryAfterSec ?? 5);
  let lastShed: AdmissionRefusal | undefined;
  const logShed = everyInterval(1000, (count) => {
    const last = lastShed!;
    logger.warn(
      'webhook.rejected',
      `${count} deliveries refused at admission; last: ${last.status} ${last.reason}: ${last.message}`,
      {
        outcome: last.status === 429 ? 'shed' : 'unavailable',
        status: last.status,
        reason: last.reason,
        count,
        ...last.details,
      },
    );
  });
  let lastUnavailable: { endpoint: WebhookEndpoint; deliveryId: string; error: Error } | undefined;
  const logUnavailableBurst = everyInterval(1000, (count) => {
    const last = lastUnavailable!;
    logger.warn(
      'webhook.publish_failed',
      `${count} deliveries answered 503 (retry later); last: ${last.endpoint} ${last.deliveryId}: ${last.error.message}`,
      { endpoint: last.endpoint, deliveryId: last.deliveryId, status: 503, count, err: last.error },
    );
  });
  const logUnavailable = (endpoint: WebhookEndpoint, deliveryId: string, error: Error) => {
    lastUnavailable = { endpoint, deliveryId, error };
    logUnavailableBurst();
  };
  const deliveries = metrics.counter('tributary_webhook_deliveries_total');
  const toKafka = metrics.histogram('tributary_webhook_to_kafka_seconds');
  // type: every request reaches here with JSON already checked, so read whatever arrives, unparsed.
  const rawParser = express.raw({ type: () => true, limit: options.bodyLimit });

  const refuse = (
    req: Request,
    res: Response,
    endpoint: WebhookEndpoint,
    refusal: {
      status: number;
      code: string;
      outcome: HttpOutcome | 'unauthorized';
      message: string;
      details?: Record<string, unknown>;
    },
  ): void => {
    deliveries.inc({ endpoint, outcome: refusal.outcome });
    logger.warn(
      'webhook.rejected',
      `${endpoint} delivery refused with ${refusal.status}: ${refusal.message}`,
      {
        endpoint,
        outcome: refusal.outcome,
        status: refusal.status,
        remoteAddress: req.socket.remoteAddress,
        ...refusal.details,
      },
    );
    sendError(res, refusal.status, refusal.code, refusal.message, refusal.details);
  };

  const respond = (
    req: Request,
    res: Response,
    endpoint: WebhookEndpoint,
    result: DeliveryResult,
    startedAt: number,
  ): void => {
    switch (result.outcome) {
      case 'accepted': {
        const seconds = (performance.now() - startedAt) / 1000;
        deliveries.inc({ endpoint, outcome: 'accepted' });
        toKafka.observe({ endpoint }, seconds);
        logger.debug(
          'webhook.accepted',
          `${endpoint} ${result.event} delivery ${result.deliveryId} accepted`,
          {
            endpoint,
            deliveryId: result.deliveryId,
            webhookEvent: result.event,
            known: result.known,
            events: result.events,
            durationMs: Math.round(seconds * 1000),
          },
        );
        sendJson(res, 202, { status: 'accepted', deliveryId: result.deliveryId });
        return;
      }
      case 'duplicate':
        deliveries.inc({ endpoint, outcome: 'duplicate' });
        logger.info('webhook.duplicate', `${endpoint} delivery ${result.deliveryId} is a duplicate`, {
          endpoint,
          deliveryId: result.deliveryId,
        });
        sendJson(res, 200, { status: 'duplicate', deliveryId: result.deliveryId });
        return;
      case 'unauthorized':
        refuse(req, res, endpoint, {
          status: 401,
          code: 'UNAUTHORIZED',
          outcome: 'unauthorized',
          message: result.message,
          details: { reason: result.reason },
        });
        return;
      case 'invalid':
        refuse(req, res, endpoint, {
          status: 400,
          code: result.code,
          outcome: 'invalid',
          message: result.message,
          details: {
            reason: result.code === 'INVALID_JSON' ? 'invalid_json' : 'schema',
            deliveryId: result.deliveryId,
            ...(result.field ? { field: result.field } : {}),
          },
        });
        return;
      case 'failed':
        deliveries.inc({ endpoint, outcome: result.status === 503 ? 'unavailable' : 'failed' });
        if (result.status === 503) {
          // An outage answers every delivery 503: one line a second, not one per delivery.
          logUnavailable(endpoint, result.deliveryId, result.error);
        } else {
          logger.error(
            'webhook.publish_failed',
            `${endpoint} delivery ${result.deliveryId} not published: ${result.error.message}`,
            { endpoint, deliveryId: result.deliveryId, status: result.status, err: result.error },
          );
        }
        if (result.status === 503) res.setHeader('Retry-After', retryAfter);
        sendError(
          res,
          result.status,
          result.error.code,
          `delivery not stored, retry later: ${result.error.message}`,
          {
            deliveryId: result.deliveryId,
          },
        );
        return;
      default: {
        const never: never = result;
        throw new Error(`unknown delivery outcome ${String(never)}`);
      }
    }
  };

  const handler =
    (endpoint: WebhookEndpoint): RequestHandler =>
    async (req, res) => {
      const admitted = admission.admit();
      if (!admitted.admitted) {
        // Above capacity: answer at once, without reading the body, rather than let connections queue.
        deliveries.inc({ endpoint, outcome: admitted.status === 429 ? 'shed' : 'unavailable' });
        lastShed = admitted;
        logShed();
        res.setHeader('Retry-After', retryAfter);
        sendError(res, admitted.status, admitted.code, admitted.message, admitted.details);
        return;
      }
      try {
        await handle(endpoint, req, res);
      } finally {
        admitted.release();
      }
    };

  const handle = async (endpoint: WebhookEndpoint, req: Request, res: Response): Promise<void> => {
    const startedAt = performance.now();
    const receivedAt = new Date();
    const contentType = header(req, 'content-type');
    if (!isJsonContentType(contentType)) {
      refuse(req, res, endpoint, {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        outcome: 'unsupported_media_type',
        message: `Content-Type must be application/json (got ${contentType === undefined ? 'none' : JSON.stringify(contentType.slice(0, 100))})`,
      });
      return;
    }
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(rawParser, req, res);
    } catch (err) {
      const failure = bodyReadFailure(err);
      const details = failure.outcome === 'too_large' ? { limit: options.bodyLimit } : {};
      refuse(req, res, endpoint, { ...failure, message: errorMessage(err), details });
      return;
    }
    if (req.socket.destroyed) {
      // The sender gave up while the body was read (its timeout): nothing to answer, nothing to do.
      deliveries.inc({ endpoint, outcome: 'abandoned' });
      return;
    }
    const result = await receiver.receive({
      endpoint,
      headers: signatureHeaders(req),
      rawBody,
      receivedAt,
    });
    respond(req, res, endpoint, result, startedAt);
  };

  for (const endpoint of WEBHOOK_ENDPOINTS) app.post(WEBHOOK_PATHS[endpoint], handler(endpoint));
}
