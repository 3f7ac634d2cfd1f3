import { join } from 'node:path';
import { loadDotEnv } from '@tributary/config';
import { errorMessage } from '@tributary/core';
import { loadStackSettings } from '../../stack/src/settings';
import { stackUp } from '../../stack/src/stack';
import { startupBanner } from './banner';
import { Supervisor } from './children';
import { waitForReady } from './ready';
import { hideKafkajsTimeoutWarning } from '@tributary/kafka';
import { DEMO_WEBHOOK_SECRET, SERVICES, SIMULATORS, portVariable, readyUrl } from './services';

/**
 * `npm start`: `.env` read (the real environment wins), the stack (Kafka, schema registry,
 * PostgreSQL), then the five services, each log line prefixed with its name: readable lines on a
 * terminal (LOG_FORMAT=pretty passed to them), JSON otherwise. Without API keys the simulators are the
 * sources (demo mode, said first). Start-up ends with one block: what runs, where, demo or real, how
 * to stop. A service that crashes is restarted with backoff (1 s, 2 s, 4 s ...), each restart said;
 * after 5 restarts within 5 minutes everything stops. Ctrl-C sends each service ONE SIGTERM (they run
 * in their own process group): each drains once and leaves its consumer groups; a second Ctrl-C kills
 * them. The stack keeps running (`npm run stack:down` stops it).
 */
async function main(): Promise<void> {
  const started = Date.now();
  hideKafkajsTimeoutWarning();
  const dotEnvKeys = loadDotEnv();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The services write to a pipe (this runner), so "on a terminal" is decided here, for them.
  env.LOG_FORMAT ??= process.stdout.isTTY ? 'pretty' : 'json';
  const demo: string[] = [];
  if (!env.REPCARD_API_KEY) demo.push('RepCard');
  if (!env.CURAGENESIS_API_KEY) demo.push('CuraGenesis');
  if (dotEnvKeys.length > 0) console.log(`[start] read .env: ${dotEnvKeys.join(', ')}`);
  if (demo.length > 0) {
    console.log(
      `[start] demo mode: ${demo.join(' and ')} from the built-in simulator${demo.length > 1 ? 's' : ''} (put REPCARD_API_KEY / CURAGENESIS_API_KEY in .env for the real APIs)`,
    );
  }
  const settings = loadStackSettings();
  const stackEnv = await stackUp((line) => console.log(`[stack] ${line}`), settings);
  Object.assign(env, { ...stackEnv, ...pick(process.env, Object.keys(stackEnv)) });
  // Demo mode is explicit (TRIBUTARY_DEMO): only when a simulator stands in for an API. The public
  // demo webhook secret is only a default when the CuraGenesis simulator is the one signing.
  if (demo.length > 0) env.TRIBUTARY_DEMO ??= '1';
  if (!env.CURAGENESIS_API_KEY) env.CURAGENESIS_WEBHOOK_SECRET ??= DEMO_WEBHOOK_SECRET;

  const waiting = new AbortController();
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    waiting.abort();
    const since = Date.now();
    const children = supervisor.children();
    console.log(
      '[start] stopping the services: each finishes its work and leaves its consumer groups (Ctrl-C again kills them)',
    );
    await supervisor.stop();
    const results = await Promise.all(
      children.map(async (c) => ({ name: c.name, code: await c.exited, signal: c.signal?.() ?? null })),
    );
    const unclean = results
      .filter((r) => r.code !== 0)
      .map((r) => `${r.name} (${r.signal ?? `exit ${r.code}`})`);
    const took = ((Date.now() - since) / 1000).toFixed(1);
    console.log(
      unclean.length
        ? `[start] stopped in ${took} s; not clean: ${unclean.join(', ')}`
        : `[start] all stopped cleanly in ${took} s`,
    );
    process.exit(code);
  };
  // A crashed service is restarted with backoff; after repeated crashes everything stops (exit 1).
  const supervisor = new Supervisor({
    log: (line) => console.error(`[start] ${line}`),
    onGiveUp: () => void stop(1),
  });
  let index = 0;
  const root = settings.root;
  if (!env.REPCARD_API_KEY) {
    const sim = SIMULATORS.repcard;
    supervisor.add({
      name: sim.name,
      entry: 'tools/sim-repcard/src/main.ts',
      stopLast: true,
      env: {
        ...env,
        SIM_REPCARD_PORT: String(sim.port),
        SIM_REPCARD_API_KEY: sim.apiKey,
        SIM_REPCARD_NOW: new Date().toISOString(),
      },
      index: index++,
      cwd: root,
    });
    env.REPCARD_API_URL = `http://127.0.0.1:${sim.port}/api`;
    env.REPCARD_API_KEY = sim.apiKey;
  }
  const portOf = (name: (typeof SERVICES)[number]['name']): string =>
    env[portVariable(name)] ?? String(SERVICES.find((svc) => svc.name === name)!.port);
  const gatewayPort = portOf('webhook-gateway');
  if (!env.CURAGENESIS_API_KEY) {
    const sim = SIMULATORS.curagenesis;
    supervisor.add({
      name: sim.name,
      entry: 'tools/sim-curagenesis/src/main.ts',
      stopLast: true,
      env: {
        ...env,
        SIM_CURAGENESIS_PORT: String(sim.port),
        SIM_CURAGENESIS_API_KEY: sim.apiKey,
        // The demo data ends now, so the trickle's changes and incremental syncs are current.
        SIM_CURAGENESIS_NOW: new Date().toISOString(),
        SIM_CURAGENESIS_WEBHOOK_TARGET: `http://127.0.0.1:${gatewayPort}`,
      },
      index: index++,
      cwd: root,
    });
    env.CURAGENESIS_API_URL = `http://127.0.0.1:${sim.port}`;
    env.CURAGENESIS_API_KEY = sim.apiKey;
  }
  for (const svc of SERVICES) {
    supervisor.add({
      name: svc.name,
      entry: join('services', svc.name, 'src/main.ts'),
      env: { ...env, PORT: portOf(svc.name) },
      index: index++,
      cwd: root,
    });
  }
  // Should this runner exit any other way, its services (in their own process group) are not left behind.
  process.on('exit', () => {
    for (const c of supervisor.children()) if (c.process.exitCode === null) c.process.kill('SIGTERM');
  });

  let stopAskedAt: number | undefined;
  const onSignal = (): void => {
    if (stopAskedAt === undefined) {
      stopAskedAt = Date.now();
      void stop(0);
      return;
    }
    // One Ctrl-C reaches npm, tsx and this process, and npm and tsx relay it: the same press.
    if (Date.now() - stopAskedAt < 1000) return;
    console.log(
      '[start] killing the services now (they did not leave their consumer groups: the next start waits for the session timeout)',
    );
    for (const c of supervisor.children()) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const targets = SERVICES.map((svc) => ({
    name: svc.name,
    readyUrl: readyUrl(svc.name, portOf(svc.name), env),
  }));
  const ready = await waitForReady(targets, { signal: waiting.signal });
  if (stopping) return;
  console.log(
    startupBanner({
      services: SERVICES.map((svc) => ({
        name: svc.name,
        url: `http://127.0.0.1:${portOf(svc.name)}/`,
        ready: ready.get(svc.name) ?? false,
      })),
      simulated: demo,
      dashboardUrl: `http://127.0.0.1:${portOf('scheduler')}/`,
      webhookUrl: `http://127.0.0.1:${gatewayPort}`,
      dotEnvKeys,
      logFormat: env.LOG_FORMAT,
      seconds: (Date.now() - started) / 1000,
    }),
  );
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]]));
}

main().catch((err: unknown) => {
  console.error(`[start] error: ${errorMessage(err)}`);
  process.exit(1);
});
