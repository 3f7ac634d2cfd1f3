import type { Express } from 'express';
import type { z } from 'zod';
import { errorMessage, installShutdown } from '@tributary/core';
import { EX_CONFIG, loadConfigOrExit } from '@tributary/config';
import { createHttpService, type ReadinessCheck } from '@tributary/http';
import { serviceFailed } from './fail';
import {
  createLogger,
  createMetrics,
  logFormatOf,
  type LogFormat,
  type Logger,
  type LogLevel,
  type Metrics,
} from '@tributary/observability';

export interface ServiceContext<C> {
  config: C;
  logger: Logger;
  metrics: Metrics;
}

/** What a started service hands back: its readiness checks, its routes, and how to stop it. */
export interface RunningService {
  readiness?: Record<string, ReadinessCheck>;
  configure?: (app: Express) => void;
  bodyLimit?: string | number;
  jsonBody?: boolean;
  /** Stops entry points, clients and pools (the HTTP server is stopped before this). */
  stop(): Promise<void>;
}

export interface ServiceDefinition<S extends z.ZodObject> {
  name: string;
  schema: S;
  /** The HTTP port; default: the config's `PORT`. */
  port?: (config: z.output<S>) => number;
  /** Default: the config's `LOG_LEVEL`, else info. */
  logLevel?: (config: z.output<S>) => LogLevel;
  start(ctx: ServiceContext<z.output<S>>): Promise<RunningService>;
}

/**
 * The whole of a service's `main.ts`: config parsed once (bad config exits 78 naming the variable),
 * logs (JSON, or readable lines on a terminal: `LOG_FORMAT`), Prometheus metrics, `/healthz` `/readyz`
 * `/metrics`, and graceful shutdown on SIGTERM or SIGINT (stop once: consumers leave their groups).
 */
export async function runService<S extends z.ZodObject>(def: ServiceDefinition<S>): Promise<void> {
  const config = loadConfigOrExit(def.name, def.schema);
  const standard = config as { PORT?: number; LOG_LEVEL?: LogLevel };
  const format = logFormatOrExit(def.name);
  const logger = createLogger(def.name, {
    level: def.logLevel?.(config) ?? standard.LOG_LEVEL ?? 'info',
    format,
  });
  const metrics = createMetrics(def.name);
  logger.debug('service.starting', `${def.name} starting`);
  let running: RunningService;
  try {
    running = await def.start({ config, logger, metrics });
  } catch (err) {
    logger.error('service.start_failed', `${def.name} failed to start: ${errorMessage(err)}`, { error: err });
    process.exit(1);
  }
  const http = createHttpService({
    service: def.name,
    logger,
    metrics,
    readiness: running.readiness,
    configure: running.configure,
    bodyLimit: running.bodyLimit,
    jsonBody: running.jsonBody,
  });
  const port = await http.start(def.port?.(config) ?? standard.PORT ?? 0);
  logger.info('service.started', `${def.name} listening on :${port}`, { port });
  installShutdown({
    logger,
    // A service stopped by `failService` (or that set process.exitCode) exits 1 after its graceful stop.
    exit: (code) => process.exit(code !== 0 ? code : serviceFailed() || process.exitCode ? 1 : 0),
    stop: async () => {
      await http.stop();
      await running.stop();
    },
  });
}

/** `LOG_FORMAT`, or exit 78 naming it (as a bad config does). */
function logFormatOrExit(service: string): LogFormat {
  try {
    return logFormatOf();
  } catch (err) {
    process.stderr.write(`${service}: configuration error: ${errorMessage(err)}\n`);
    return process.exit(EX_CONFIG);
  }
}

export * from './platform';
export * from './command-consumer';
export * from './provision';
export * from './readiness';
export * from './instance';
export * from './fail';
export * from './kafka-env';
