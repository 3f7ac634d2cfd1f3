import type { Logger, Metrics } from '@tributary/observability';
import type { Express, RequestHandler } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeLabel } from './route-label';

/** Starting and draining one HTTP server of an express app; what every Tributary listener shares. */
export interface ServerLifecycle {
  /** Listens on `port` (0 = a random free port) at `host`; resolves with the port bound. */
  start(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, closes keep-alive connections. Idempotent. */
  stop(): Promise<void>;
  /** Whether `stop()` was called (answers then carry `Connection: close`). */
  stopping(): boolean;
  /** Whether a server is listening now. */
  listening(): boolean;
}

/** `stop()` lets in-flight requests finish for `shutdownTimeoutMs`, then cuts what is left. */
export function createServerLifecycle(app: Express, shutdownTimeoutMs: number): ServerLifecycle {
  let server: Server | undefined;
  let stopping: Promise<void> | undefined;
  return {
    async start(port, host) {
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
        // Idle keep-alive connections would hold close() open until they time out: close them now and
        // again as in-flight requests finish; after the grace period, cut whatever is left.
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
    stopping: () => stopping !== undefined,
    listening: () => server !== undefined,
  };
}

/**
 * Per-route request metrics (`tributary_http_requests_total`, `..._duration_seconds`), `Connection:
 * close` while the server drains, and with a logger at debug a line per request.
 */
export function requestMetrics(
  metrics: Metrics,
  lifecycle: Pick<ServerLifecycle, 'stopping'>,
  logger?: Logger,
): RequestHandler {
  const requests = metrics.counter('tributary_http_requests_total');
  const durations = metrics.histogram('tributary_http_request_duration_seconds');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    if (lifecycle.stopping()) res.setHeader('Connection', 'close');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      requests.inc(labels);
      durations.observe(labels, seconds);
      if (logger?.isLevelEnabled('debug')) {
        logger.debug('http.request', `${req.method} ${req.originalUrl} ${res.statusCode}`, {
          ...labels,
          path: req.path,
          durationMs: Math.round(seconds * 1000),
        });
      }
    });
    next();
  };
}
