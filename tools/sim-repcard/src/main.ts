import { ConfigError, errorMessage } from '@tributary/core';
import { readEnv } from './env';
import { createRepcardSimulator } from './index';

/** `npm run sim:repcard`: the RepCard API simulator as a process, configured by SIM_REPCARD_* variables. */
async function main(): Promise<void> {
  let env;
  try {
    env = readEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`sim-repcard: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const sim = createRepcardSimulator(env.options);
  const { url } = await sim.start(env.port, env.host);
  const counts = Object.entries(sim.dataset.counts())
    .map(([entity, n]) => `${entity}=${n}`)
    .join(' ');
  process.stdout.write(
    `sim-repcard listening on ${url} x-api-key=${sim.config.apiKey} seed=${sim.config.seed} ${counts} (admin: ${url.replace(/\/api$/, '/__sim')})\n`,
  );
  const shutdown = (): void => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim-repcard: ${errorMessage(err)}\n`);
  process.exit(1);
});
