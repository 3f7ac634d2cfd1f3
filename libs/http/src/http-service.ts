import { listenHost } from '@tributary/config';
import { TributaryError } from '@tributary/core';
import type { Logger, Metrics } from '@tributary/observability';
import express, { type Express, type Request } from 'express';
import { errorHandler, notFoundHandler } from './error-handler';
import { runReadiness, type ReadinessCheck } from './readiness';
import { createServerLifecycle, requestMetrics } from './server-lifecycle';

export interface HttpServiceOptions {
  service: string;
  logger: Logger;
  metrics: Metrics;
  /** Named readiness checks for `/readyz` (e.g. `{ postgres: () => pingDb(pool), kafka: ... }`). */
  readiness?: Record<string, ReadinessCheck>;
  /** Adds the service's own routes, after the built-in ones and before the 404 and error handlers. */
  configure?: (app: Express) => void;
  /** Largest JSON body accepted (express.json `limit`), default '1mb'. */
  bodyLimit?: string | number;
  /** Parse JSON bodies (default true). The raw bytes are kept too: see `rawBody(req)`. */
  jsonBody?: boolean;
  /** Time limit of each readiness check, default 2000 ms. */
  readinessTimeoutMs?: number;
  /** How long `stop()` lets in-flight requests finish before cutting connections, default 10000 ms. */
  shutdownTimeoutMs?: number;
}

export interface HttpService {
  readonly app: Express;
  /**
   * Listens on `port` (0 = a random free port) at `host` and resolves with the port bound. Without
   * `host`: the `HOST` variable, else 127.0.0.1 in demo mode (`TRIBUTARY_DEMO=1`), else 0.0.0.0.
   */
  start(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, closes keep-alive connections. Idempotent. */
  stop(): Promise<void>;
}

const RAW_BODY = Symbol('rawBody');
type WithRawBody = Request & { [RAW_BODY]?: Buffer };

/** The exact bytes of a JSON request body as received (for signature checks), if one was parsed. */
export function rawBody(req: Request): Buffer | undefined {
  return (req as WithRawBody)[RAW_BODY];
}

/**
 * An express app with what every Tributary service exposes: `GET /healthz` (the process is up),
 * `GET /readyz` (its dependencies answer), `GET /metrics` (Prometheus), per-route request metrics,
 * a JSON 404 and one central error handler.
 */
export function createHttpService(options: HttpServiceOptions): HttpService {
  const { service, logger, metrics } = options;
  const readiness = options.readiness ?? {};
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2000;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const app = express();
  const lifecycle = createServerLifecycle(app, shutdownTimeoutMs);
  let lastReady: boolean | undefined;
  app.disable('x-powered-by');
  app.use(requestMetrics(metrics, lifecycle, logger));
  if (options.jsonBody !== false) {
    app.use(
      express.json({
        limit: options.bodyLimit ?? '1mb',
        verify: (req, _res, buf) => {
          (req as WithRawBody)[RAW_BODY] = buf;
        },
      }),
    );
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await runReadiness(readiness, readinessTimeoutMs);
    if (ready !== lastReady) {
      if (ready) logger.info('http.readiness.changed', `${service} is ready`, { checks });
      else logger.warn('http.readiness.changed', `${service} is not ready`, { checks });
      lastReady = ready;
    }
    // Unauthenticated: each check answers only ok or failed; why it failed (host names, driver
    // messages) goes to the log above, never to whoever asks.
    const shown = Object.fromEntries(
      Object.entries(checks).map(([name, r]) => [name, r === 'ok' ? 'ok' : 'failed']),
    );
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: shown });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  options.configure?.(app);
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  async function start(port: number, host: string = listenHost()): Promise<number> {
    if (lifecycle.listening())
      throw new TributaryError('HTTP_ALREADY_STARTED', `${service}: HTTP server already started`);
    return lifecycle.start(port, host);
  }

  return { app, start, stop: lifecycle.stop };
}
