import { errorMessage, installShutdown } from '@tributary/core';
import { loadConfigOrExit } from '@tributary/config';
import { createHttpService } from '@tributary/http';
import { createLogger, createMetrics } from '@tributary/observability';
import { startWebhookGateway } from '../app';
import { webhookGatewayConfigSchema } from '../config';
import { createPublicServer } from './public-server';

const SERVICE = 'webhook-gateway';

/**
 * The gateway's `main`: like every service's (`runService`: config parsed once, exit 78 naming the
 * variable, JSON logs, graceful shutdown), but with TWO listeners: the public one (`PORT`: the webhook
 * routes and `/healthz`), the only port of the project meant to face the internet, and the internal
 * one (`INTERNAL_PORT`: `/healthz`, `/readyz`, `/metrics`).
 */
export async function runGateway(): Promise<void> {
  const config = loadConfigOrExit(SERVICE, webhookGatewayConfigSchema);
  const logger = createLogger(SERVICE, { level: config.LOG_LEVEL });
  const metrics = createMetrics(SERVICE);
  logger.info('service.starting', `${SERVICE} starting`, { demo: config.TRIBUTARY_DEMO });
  let running: Awaited<ReturnType<typeof startWebhookGateway>>;
  try {
    running = await startWebhookGateway({ config, logger, metrics });
  } catch (err) {
    logger.error('service.start_failed', `${SERVICE} failed to start: ${errorMessage(err)}`, { error: err });
    process.exit(1);
  }
  const internal = createHttpService({
    service: SERVICE,
    logger,
    metrics,
    readiness: running.readiness,
    jsonBody: false,
  });
  const internalPort = await internal.start(config.INTERNAL_PORT, config.INTERNAL_HOST);
  const publicServer = createPublicServer({
    service: SERVICE,
    logger,
    metrics,
    configure: running.configure!,
  });
  const port = await publicServer.start(config.PORT);
  logger.info(
    'service.started',
    `${SERVICE} listening on :${port} (internal /readyz /metrics on :${internalPort})`,
    {
      port,
      internalPort,
    },
  );
  installShutdown({
    logger,
    stop: async () => {
      await publicServer.stop();
      await running.stop();
      await internal.stop();
    },
  });
}
