import { join } from 'node:path';
import { errorMessage } from '@tributary/core';
import { loadStackSettings } from '../../stack/src/settings';
import { stackUp } from '../../stack/src/stack';
import { startChild, stopChildren, type Child } from './children';
import { DEMO_WEBHOOK_SECRET, SERVICES, SIMULATORS } from './services';

/**
 * `npm start`: the stack (Kafka, schema registry, PostgreSQL), then the five services, each log line
 * prefixed with its name. Without API keys the simulators are the sources (demo mode, said first).
 * Ctrl-C stops the services; the stack keeps running (`npm run stack:down` stops it).
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
  env.CURAGENESIS_WEBHOOK_SECRET ??= DEMO_WEBHOOK_SECRET;

  const children: Child[] = [];
  let index = 0;
  const root = settings.root;
  if (!env.REPCARD_API_KEY) {
    const sim = SIMULATORS.repcard;
    children.push(startChild(sim.name, 'tools/sim-repcard/src/main.ts', { ...env, SIM_REPCARD_PORT: String(sim.port), SIM_REPCARD_API_KEY: sim.apiKey, SIM_REPCARD_NOW: new Date().toISOString() }, index++, root));
    env.REPCARD_API_URL = `http://127.0.0.1:${sim.port}/api`;
    env.REPCARD_API_KEY = sim.apiKey;
  }
  const gatewayPort = SERVICES.find((s) => s.name === 'webhook-gateway')!.port;
  if (!env.CURAGENESIS_API_KEY) {
    const sim = SIMULATORS.curagenesis;
    children.push(
      startChild(sim.name, 'tools/sim-curagenesis/src/main.ts', {
        ...env,
        SIM_CURAGENESIS_PORT: String(sim.port),
        SIM_CURAGENESIS_API_KEY: sim.apiKey,
        // The demo data ends now, so the trickle's changes and incremental syncs are current.
        SIM_CURAGENESIS_NOW: new Date().toISOString(),
        SIM_CURAGENESIS_WEBHOOK_TARGET: `http://127.0.0.1:${gatewayPort}`,
      }, index++, root),
    );
    env.CURAGENESIS_API_URL = `http://127.0.0.1:${sim.port}`;
    env.CURAGENESIS_API_KEY = sim.apiKey;
  }
  for (const svc of SERVICES) {
    const port = env[`${svc.name.toUpperCase().replace(/-/g, '_')}_PORT`] ?? String(svc.port);
    children.push(startChild(svc.name, join('services', svc.name, 'src/main.ts'), { ...env, PORT: port }, index++, root));
  }
  console.log(`[start] dashboard and admin API: http://127.0.0.1:${SERVICES.find((s) => s.name === 'scheduler')!.port}/  (Ctrl-C stops the services; npm run stack:down stops the stack)`);

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('[start] stopping services...');
    await stopChildren(children);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const c of children) {
    void c.exited.then((code) => {
      if (!stopping) {
        console.error(`[start] ${c.name} exited with code ${code}; stopping everything`);
        void stop(1);
      }
    });
  }
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]]));
}

main().catch((err: unknown) => {
  console.error(`[start] error: ${errorMessage(err)}`);
  process.exit(1);
});
