import { createLogger, createMetrics } from '@tributary/observability';
import { signHmacHex } from '../../../tools/sim-curagenesis/src/webhooks';
import { DedupWindow } from '../src/domain/dedup-window';
import type { OutgoingEvent } from '../src/domain/delivery-events';
import { createDeliveryReceiver } from '../src/domain/receive-delivery';
import { mountWebhookRoutes, WEBHOOK_PATHS, type WebhookRoutesOptions } from '../src/entry-points/http';
import { createPublicServer, type PublicServer } from '../src/entry-points/public-server';

/** The webhook routes' options a test chooses: how deliveries are admitted and the Retry-After. */
export type RouteLimits = Omit<WebhookRoutesOptions, 'receiver' | 'bodyLimit' | 'logger' | 'metrics'>;

export interface WebhookRoutesServer {
  server: PublicServer;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** POSTs this body to the practice-update route, signed with the secret. */
  post(raw: string): Promise<Response>;
}

/**
 * The public server (port 0, silent logs) with the webhook routes over a receiver that checks this
 * secret (300 s tolerance, an in-memory dedup window) and hands each delivery's events to `publish`.
 */
export async function startWebhookRoutes(options: {
  secret: string;
  publish(events: OutgoingEvent[]): Promise<void>;
  limits: RouteLimits;
}): Promise<WebhookRoutesServer> {
  const logger = createLogger('webhook-gateway', { stream: { write: () => undefined } });
  const metrics = createMetrics('webhook-gateway');
  const receiver = createDeliveryReceiver({
    secret: options.secret,
    toleranceSec: 300,
    dedup: new DedupWindow({ windowMs: 60_000, maxEntries: 100 }),
    publish: options.publish,
  });
  const server = createPublicServer({
    service: 'webhook-gateway',
    logger,
    metrics,
    configure: (app) =>
      mountWebhookRoutes(app, { receiver, bodyLimit: '1kb', logger, metrics, ...options.limits }),
  });
  const base = `http://127.0.0.1:${await server.start(0, '127.0.0.1')}`;
  return {
    server,
    base,
    post: (raw) =>
      fetch(`${base}${WEBHOOK_PATHS['practice-update']}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-webhook-signature': signHmacHex(options.secret, raw),
        },
        body: raw,
      }),
  };
}
