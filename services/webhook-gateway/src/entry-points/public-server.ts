import express, { type Express } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorHandler, notFoundHandler, routeLabel } from '@tributary/http';
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
  const requests = metrics.counter('tributary_http_requests_total');
  const durations = metrics.histogram('tributary_http_request_duration_seconds');
  let server: Server | undefined;
  let stopping: Promise<void> | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    if (stopping) res.setHeader('Connection', 'close');
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      requests.inc(labels);
      durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  options.configure(app);
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  return {
    app,
    async start(port, host = '0.0.0.0') {
      const s = createServer(app);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      server = s;
      stopping = undefined;
      return (s.address() as AddressInfo).port;
    },
    stop() {
      const s = server;
      if (!s) return stopping ?? Promise.resolve();
      server = undefined;
      stopping = new Promise<void>((resolve, reject) => {
        const sweep = setInterval(() => s.closeIdleConnections(), 100);
        const force = setTimeout(() => s.closeAllConnections(), shutdownTimeoutMs);
        s.close((err) => {
          clearInterval(sweep);
          clearTimeout(force);
          if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
          else resolve();
        });
        s.closeIdleConnections();
      });
      return stopping;
    },
  };
}
