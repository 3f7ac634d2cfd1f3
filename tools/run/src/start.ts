import { join } from 'node:path';
import { errorMessage } from '@tributary/core';
import { loadStackSettings } from '../../stack/src/settings';
import { stackUp } from '../../stack/src/stack';
import { Supervisor } from './children';
import { DEMO_WEBHOOK_SECRET, SERVICES, SIMULATORS } from './services';

/**
 * `npm start`: the stack (Kafka, schema registry, PostgreSQL), then the five services, each log line
 * prefixed with its name. Without API keys the simulators are the sources (demo mode, said first).
 * A service that crashes is restarted with backoff (1 s, 2 s, 4 s ...), each restart said; after 5
 * restarts within 5 minutes everything stops. Ctrl-C stops the services once; the stack keeps running
 * (`npm run stack:down` stops it).
 */
async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const demo: string[] = [];
  if (!env.REPCARD_API_KEY) demo.push('RepCard');
  if (!env.CURAGENESIS_API_KEY) demo.push('CuraGenesis');
  if (demo.length > 0) {
    const banner = `DEMO MODE: no API key for ${demo.join(' and ')} — using the built-in simulator${demo.length > 1 ? 's' : ''} as the data source (set REPCARD_API_KEY / CURAGENESIS_API_KEY for the real APIs).`;
    console.log(`\n${'='.repeat(banner.length)}\n${banner}\n${'='.repeat(banner.length)}\n`);
  }
  const settings = loadStackSettings();
  const stackEnv = await stackUp((line) => console.log(`[stack] ${line}`), settings);
  Object.assign(env, { ...stackEnv, ...pick(process.env, Object.keys(stackEnv)) });
  // Demo mode is explicit (TRIBUTARY_DEMO): only when a simulator stands in for an API. The public
  // demo webhook secret is only a default when the CuraGenesis simulator is the one signing.
  if (demo.length > 0) env.TRIBUTARY_DEMO ??= '1';
  if (!env.CURAGENESIS_API_KEY) env.CURAGENESIS_WEBHOOK_SECRET ??= DEMO_WEBHOOK_SECRET;

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('[start] stopping services...');
    await supervisor.stop();
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
    supervisor.add({ name: sim.name, entry: 'tools/sim-repcard/src/main.ts', env: { ...env, SIM_REPCARD_PORT: String(sim.port), SIM_REPCARD_API_KEY: sim.apiKey, SIM_REPCARD_NOW: new Date().toISOString() }, index: index++, cwd: root });
    env.REPCARD_API_URL = `http://127.0.0.1:${sim.port}/api`;
    env.REPCARD_API_KEY = sim.apiKey;
  }
  const gatewayPort = SERVICES.find((s) => s.name === 'webhook-gateway')!.port;
  if (!env.CURAGENESIS_API_KEY) {
    const sim = SIMULATORS.curagenesis;
    supervisor.add({
      name: sim.name,
      entry: 'tools/sim-curagenesis/src/main.ts',
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
    const port = env[`${svc.name.toUpperCase().replace(/-/g, '_')}_PORT`] ?? String(svc.port);
    supervisor.add({ name: svc.name, entry: join('services', svc.name, 'src/main.ts'), env: { ...env, PORT: port }, index: index++, cwd: root });
  }
  console.log(`[start] dashboard and admin API: http://127.0.0.1:${SERVICES.find((s) => s.name === 'scheduler')!.port}/  (Ctrl-C stops the services; npm run stack:down stops the stack)`);

  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]]));
}

main().catch((err: unknown) => {
  console.error(`[start] error: ${errorMessage(err)}`);
  process.exit(1);
});
