/**
 * `npm run sim:curagenesis`: serves the simulated CuraGenesis partner API (and, with
 * SIM_CURAGENESIS_WEBHOOK_TARGET, trickles signed webhooks to a gateway) until SIGTERM/SIGINT.
 * `npm run sim:curagenesis -- send ...` posts one webhook instead (see send-cli.ts).
 */
import { ConfigError, ValidationError, errorMessage } from '@tributary/core';
import { createLogger, LogEvents } from '@tributary/observability';
import { loadSimConfig, type SimConfig } from './config';
import { runSendCli } from './send-cli';
import { createCuragenesisSimulator } from './simulator';
import { deliveryFailureLog } from './delivery-failures';
import { createTrickle, type Trickle } from './trickle';
import { createWebhookSender, type SignatureScheme } from './webhooks';

const SERVICE = 'sim-curagenesis';
const logger = createLogger(SERVICE);

/**
 * Waits until the webhook receiver is ready: its /readyz answers 200 (or 404: a receiver without
 * one). Says so once while it waits.
 */
async function waitForReceiver(target: string, signal: AbortSignal): Promise<void> {
  let said = false;
  while (!signal.aborted) {
    try {
      const res = await fetch(new URL('/readyz', target), { signal: AbortSignal.timeout(2_000) });
      if (res.ok || res.status === 404) return;
    } catch {
      // not listening yet
    }
    if (!said) {
      logger.info(LogEvents.toolStep, `waiting for ${target} to be ready before sending webhooks`, {
        target,
      });
      said = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function serve(config: SimConfig): Promise<void> {
  const sim = createCuragenesisSimulator({
    seed: config.SIM_CURAGENESIS_SEED,
    practices: config.SIM_CURAGENESIS_PRACTICES,
    orders: config.SIM_CURAGENESIS_ORDERS,
    apiKey: config.SIM_CURAGENESIS_API_KEY,
    authHeader: config.SIM_CURAGENESIS_AUTH_HEADER,
    latencyMs: config.SIM_CURAGENESIS_LATENCY_MS,
    ...(config.SIM_CURAGENESIS_NOW ? { now: new Date(config.SIM_CURAGENESIS_NOW) } : {}),
    logger,
  });
  const { url, port } = await sim.start(config.SIM_CURAGENESIS_PORT, config.SIM_CURAGENESIS_HOST);
  logger.info(LogEvents.serviceStarted, `CuraGenesis simulator listening on ${url}`, {
    url,
    port,
    authHeader: config.SIM_CURAGENESIS_AUTH_HEADER,
    practices: sim.dataset.countPractices(),
    orders: sim.dataset.countOrders(),
  });

  const abort = new AbortController();
  let trickle: Trickle | undefined;
  const target = config.SIM_CURAGENESIS_WEBHOOK_TARGET;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(LogEvents.serviceStopping, `received ${signal}, stopping`);
    abort.abort();
    try {
      const counts = trickle ? await trickle.done : undefined;
      await sim.stop();
      logger.info(LogEvents.serviceStopped, 'stopped', { stats: sim.stats(), webhooks: counts });
      process.exit(0);
    } catch (err) {
      logger.error(LogEvents.serviceStopFailed, 'stop failed', { err });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  if (target !== undefined) {
    // npm start launches the simulator before the gateway: deliveries before it answers would only fail.
    await waitForReceiver(target, abort.signal);
  }
  if (target !== undefined && !abort.signal.aborted) {
    const sender = createWebhookSender({
      targetBaseUrl: target,
      secret: config.CURAGENESIS_WEBHOOK_SECRET as string,
      scheme: config.SIM_CURAGENESIS_WEBHOOK_SCHEME as SignatureScheme,
    });
    trickle = createTrickle({
      sender,
      dataset: sim.dataset,
      mutate: sim.mutate,
      ratePerSec: config.SIM_CURAGENESIS_WEBHOOK_RATE,
      signal: abort.signal,
      onError: deliveryFailureLog(logger, target, () => trickle?.counts().accepted ?? 0),
    });
    logger.info(LogEvents.toolStep, `trickling webhooks to ${target}`, {
      target,
      ratePerSec: config.SIM_CURAGENESIS_WEBHOOK_RATE,
      scheme: config.SIM_CURAGENESIS_WEBHOOK_SCHEME,
    });
  }
}

function main(): void {
  let config: SimConfig;
  try {
    config = loadSimConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${SERVICE}: configuration error: ${err.message}\n`);
    process.exit(2);
  }
  const [command, ...rest] = process.argv.slice(2);
  if (command !== undefined && command !== 'send') {
    process.stderr.write(
      `${SERVICE}: unknown command "${command}" (no command serves; "send" posts one webhook)\n`,
    );
    process.exit(2);
  }
  const run = command === 'send' ? runSendCli(rest, config) : serve(config);
  run.catch((err: unknown) => {
    process.stderr.write(`${SERVICE}: ${errorMessage(err)}\n`);
    // bad arguments exit 2 like bad configuration; anything else (network, bind) exits 1
    const usage =
      err instanceof ValidationError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.exit(usage ? 2 : 1);
  });
}

main();
