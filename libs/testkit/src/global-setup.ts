import { stackUp } from '../../../tools/stack/src/stack';
import { dockerEngineAvailable } from './docker';

/**
 * Jest global setup of the integration and e2e projects: real Kafka, schema registry and
 * PostgreSQL for the tests. Servers named in the environment are used as they are; otherwise,
 * with a Docker engine, testcontainers starts them; without one (CI here), the stack launcher
 * starts them as local processes (idempotent: a running stack is reused).
 */
export default async function globalSetup(): Promise<void> {
  // Tests publish to topics of their own namespace (`test.` unless one is given), never to the
  // topics a local `npm start` consumes: a demo running beside `npm test` neither takes the tests'
  // sync commands nor projects their records.
  process.env.TRIBUTARY_TOPIC_NAMESPACE ??= 'test.';
  const given = ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'DATABASE_URL'].every((k) => process.env[k]);
  if (given) return;
  const say = (line: string): void => {
    process.stderr.write(`[stack] ${line}\n`);
  };
  if (dockerEngineAvailable()) {
    const { startContainers } = await import('./containers');
    const { env } = await startContainers();
    Object.assign(process.env, env);
    say('servers started with testcontainers');
    return;
  }
  const env = await stackUp(say);
  for (const [k, v] of Object.entries(env)) process.env[k] ??= v;
}
