import express, { type Express } from 'express';
import { createServerLifecycle, errorHandler, notFoundHandler, requestMetrics } from '@tributary/http';
import type { Logger, Metrics } from '@tributary/observability';

export interface PublicServerOptions {
  service: string;
  logger: Logger;
  metrics: Metrics;
  /** Mounts the webhook routes. */
  configure: (app: Express) => void;
  /** How long `stop()` lets in-flight requests finish before cutting connections (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface PublicServer {
  readonly app: Express;
  start(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The gateway's public face: the webhook routes and `/healthz`, nothing else. `/readyz` and
 * `/metrics` (which tell an outsider about our dependencies and traffic) are on the internal port
 * only (`createHttpService` there). Request metrics and the central 404 and error handlers are the
 * same as every service's.
 */
export function createPublicServer(options: PublicServerOptions): PublicServer {
  const { service, logger, metrics } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const app = express();
  const lifecycle = createServerLifecycle(app, shutdownTimeoutMs);
  app.disable('x-powered-by');
  app.use(requestMetrics(metrics, lifecycle));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  options.configure(app);
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  return { app, start: (port, host = '0.0.0.0') => lifecycle.start(port, host), stop: lifecycle.stop };
}
