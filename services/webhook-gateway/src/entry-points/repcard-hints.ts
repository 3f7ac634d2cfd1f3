import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import {
  isRepcardWebhookEvent,
  repcardWebhookTarget,
  TOPICS,
  type RepcardWebhookReceived,
} from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
import type { ErrorBody } from '@tributary/http';
import type { Logger, Metrics } from '@tributary/observability';
import type { AdmissionControl } from '../domain/admission';
import type { OutgoingEvent } from '../domain/delivery-events';

/** Where RepCard webhooks are received: one URL per event, under a secret path segment. */
export const REPCARD_HINT_PATH = '/api/webhooks/repcard/:secret/:event';

export interface RepcardHintRoutesOptions {
  /** The unguessable path segment (REPCARD_WEBHOOK_PATH_SECRET): the only protection RepCard allows. */
  pathSecret: string;
  bodyLimit: string | number;
  /** Publishes the hint (the gateway's Kafka path, one transaction). */
  publish(events: OutgoingEvent[]): Promise<void>;
  logger: Logger;
  metrics: Metrics;
  /** The gateway's admission control, shared with the CuraGenesis routes (none: admit all). */
  admission?: AdmissionControl;
  retryAfterSec?: number;
  now?: () => Date;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendError(res: Response, status: number, code: string, message: string): void {
  const body: ErrorBody = { error: { code, message, details: {} } };
  res.status(status).json(body);
}

/**
 * RepCard webhooks as hints (issue 13 item 4, ADR 0026; optional, off unless
 * REPCARD_WEBHOOK_PATH_SECRET is set). RepCard signs nothing and sends each event to its own URL
 * (API-NOTES, *unconfirmed*), so `POST /api/webhooks/repcard/<secret>/<event>` (events:
 * REPCARD_WEBHOOK_EVENTS, e.g. `contact-updated`) checks the secret segment in constant time (a
 * wrong one is 404, like any unknown path), reads the record id the body names and publishes a
 * RepcardWebhookReceived on `repcard.webhooks.v1`: nothing of the body is written anywhere else,
 * ingest-repcard re-fetches the record and projects the source's answer. 202 once in Kafka.
 */
export function mountRepcardHintRoutes(app: Express, o: RepcardHintRoutesOptions): void {
  const now = o.now ?? (() => new Date());
  const deliveries = o.metrics.counter('tributary_webhook_deliveries_total');
  const json = express.json({ limit: o.bodyLimit, type: () => true });
  app.post(REPCARD_HINT_PATH, (req: Request, res: Response, next) => {
    const event = String(req.params.event);
    if (!sameSecret(String(req.params.secret), o.pathSecret) || !isRepcardWebhookEvent(event)) {
      sendError(res, 404, 'NOT_FOUND', `no route for POST ${req.baseUrl}/api/webhooks/repcard/...`);
      return;
    }
    const endpoint = `repcard/${event}`;
    const admitted = o.admission?.admit() ?? { admitted: true as const, release: () => undefined };
    if (!admitted.admitted) {
      // Above capacity: answer at once, without reading the body (as the CuraGenesis routes do).
      deliveries.inc({ endpoint, outcome: admitted.status === 429 ? 'shed' : 'unavailable' });
      res.setHeader('Retry-After', String(o.retryAfterSec ?? 5));
      sendError(res, admitted.status, admitted.code, admitted.message);
      return;
    }
    res.once('close', admitted.release);
    json(req, res, (err?: unknown) => {
      if (err) {
        deliveries.inc({ endpoint, outcome: 'invalid' });
        sendError(res, 400, 'WEBHOOK_INVALID_BODY', `the body is not JSON: ${errorMessage(err)}`);
        return;
      }
      const body = (req.body ?? null) as RepcardWebhookReceived['body'];
      const target = repcardWebhookTarget(event, body);
      const value: RepcardWebhookReceived = {
        type: 'RepcardWebhookReceived',
        version: 1,
        deliveryId: randomUUID(),
        receivedAt: now().toISOString(),
        event,
        ...target,
        body,
      };
      o.publish([{ topic: TOPICS.repcardWebhooks, key: `${target.entity}/${target.id ?? 'none'}`, value }])
        .then(() => {
          deliveries.inc({ endpoint, outcome: 'accepted' });
          res.status(202).json({ deliveryId: value.deliveryId, entity: target.entity, id: target.id });
        })
        .catch(next);
    });
  });
}
