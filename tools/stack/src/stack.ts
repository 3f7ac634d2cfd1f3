import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrerequisites } from './prereqs';
import { databaseUrl, ensurePostgres, pgRunning, pgServer, stopPostgres } from './postgres';
import { ensureKafka, kafkaRunning, stopKafka } from './kafka';
import { ensureRegistry, registryRunning, registryUrl, stopRegistry } from './registry';
import { loadStackSettings, StackSettings } from './settings';

export type Say = (line: string) => void;

export interface StackEnv {
  KAFKA_BROKERS: string;
  SCHEMA_REGISTRY_URL: string;
  DATABASE_URL: string;
}

function timed(label: string, say: Say, work: () => Promise<boolean>): Promise<void> {
  const t0 = Date.now();
  return work().then((started) => {
    say(
      `${label.padEnd(16)} ${started ? 'started' : 'already running'}, ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
    );
  });
}

/**
 * Starts what is not running (idempotent), waits until each server answers, and writes
 * `.stack/env`. A server whose variable is already set in the environment is the user's own and
 * is not started here.
 */
export async function stackUp(
  say: Say = console.log,
  settings: StackSettings = loadStackSettings(),
): Promise<StackEnv> {
  const s = settings;
  const t0 = Date.now();
  const ext = s.external;
  const needDb = !ext.database || !ext.registry;
  checkPrerequisites(s, { kafka: !ext.kafka, registry: !ext.registry, postgres: needDb }, say);
  mkdirSync(s.logDir, { recursive: true });
  if (needDb) await timed('postgres', say, () => ensurePostgres(s, say));
  await Promise.all([
    ext.kafka
      ? Promise.resolve(say(`kafka            external: ${ext.kafka}`))
      : timed('kafka', say, () => ensureKafka(s, say)),
    ext.registry
      ? Promise.resolve(say(`schema registry  external: ${ext.registry}`))
      : timed('schema registry', say, () => ensureRegistry(s, say)),
  ]);
  const env: StackEnv = {
    KAFKA_BROKERS: ext.kafka ?? `127.0.0.1:${s.kafkaPort}`,
    SCHEMA_REGISTRY_URL: ext.registry ?? registryUrl(s),
    DATABASE_URL: ext.database ?? databaseUrl(s),
  };
  writeEnvFile(s, env);
  say(`stack up in ${((Date.now() - t0) / 1000).toFixed(1)}s; environment written to ${envFile(s)}`);
  return env;
}

export function envFile(s: StackSettings): string {
  return join(s.stackDir, 'env');
}

function writeEnvFile(s: StackSettings, env: StackEnv): void {
  const lines = Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`);
  writeFileSync(
    envFile(s),
    `# written by npm run stack:up; values already set in the environment win\n${lines.join('\n')}\n`,
  );
}

export async function stackDown(
  say: Say = console.log,
  s: StackSettings = loadStackSettings(),
): Promise<void> {
  // The registry keeps its data in PostgreSQL: stop it first.
  say(`schema registry  ${(await stopRegistry(s)) ? 'stopped' : 'was not running'}`);
  say(`kafka            ${(await stopKafka(s)) ? 'stopped' : 'was not running'}`);
  say(`postgres         ${stopPostgres(s) ? 'stopped' : 'was not running'}`);
}

export interface ServerStatus {
  name: string;
  running: boolean;
  address: string;
}

export function stackStatus(s: StackSettings = loadStackSettings()): ServerStatus[] {
  return [
    { name: 'postgres', running: pgRunning(s, pgServer(s)), address: databaseUrl(s) },
    { name: 'kafka', running: kafkaRunning(s), address: `127.0.0.1:${s.kafkaPort}` },
    { name: 'schema registry', running: registryRunning(s), address: registryUrl(s) },
  ];
}
