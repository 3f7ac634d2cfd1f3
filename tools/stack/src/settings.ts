import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '@tributary/core';

/** Where the repository is: the nearest ancestor whose package.json declares workspaces. */
export function repoRoot(from = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).workspaces) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new ConfigError('STACK_DIR', 'cannot find the repository root from ' + from);
    dir = parent;
  }
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new ConfigError(name, `must be a port number 1-65535, got "${raw}"`);
  return n;
}

export interface StackSettings {
  root: string;
  stackDir: string;
  cacheDir: string;
  logDir: string;
  kafkaVersion: string;
  apicurioVersion: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  registryPort: number;
  pgPort: number;
  pgBinDir: string;
  kafkaHeap: string;
  registryHeap: string;
  /** Servers the user points at themselves (the variable is already set): not started here. */
  external: { kafka?: string; registry?: string; database?: string };
}

/** Every knob of the launcher, from the environment, with defaults. */
export function loadStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const root = repoRoot();
  const stackDir = resolve(env.STACK_DIR || join(root, '.stack'));
  return {
    root,
    stackDir,
    cacheDir: join(stackDir, 'cache'),
    logDir: join(stackDir, 'logs'),
    kafkaVersion: env.STACK_KAFKA_VERSION || '3.9.1',
    apicurioVersion: env.STACK_APICURIO_VERSION || '3.0.9',
    kafkaPort: port(env, 'STACK_KAFKA_PORT', 9092),
    kafkaControllerPort: port(env, 'STACK_KAFKA_CONTROLLER_PORT', 9093),
    registryPort: port(env, 'STACK_REGISTRY_PORT', 8081),
    pgPort: port(env, 'STACK_PG_PORT', 55432),
    pgBinDir: env.STACK_PG_BIN || defaultPgBinDir(),
    kafkaHeap: env.STACK_KAFKA_HEAP || '1g',
    registryHeap: env.STACK_REGISTRY_HEAP || '512m',
    external: {
      ...(env.KAFKA_BROKERS ? { kafka: env.KAFKA_BROKERS } : {}),
      ...(env.SCHEMA_REGISTRY_URL ? { registry: env.SCHEMA_REGISTRY_URL } : {}),
      ...(env.DATABASE_URL ? { database: env.DATABASE_URL } : {}),
    },
  };
}

export const PG_USER = 'tributary';
export const PG_PASSWORD = 'tributary';
export const PG_DATABASE = 'tributary';
export const PG_REGISTRY_DATABASE = 'apicurio';

export function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 10);
}

/** Debian's PostgreSQL 15 server binaries; on macOS, Homebrew's postgresql@15 (either prefix). */
function defaultPgBinDir(): string {
  if (process.platform !== 'darwin') return '/usr/lib/postgresql/15/bin';
  const brew = ['/opt/homebrew', '/usr/local'].find((p) => existsSync(`${p}/opt/postgresql@15/bin`));
  return `${brew ?? '/opt/homebrew'}/opt/postgresql@15/bin`;
}
