import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '@tributary/core';
import { isRoot, readPid, run } from '../../stack/src/proc';
import { kafkaAnswers, kafkaPaths, stopKafka } from '../../stack/src/kafka';
import { pgRunning, pgServer } from '../../stack/src/postgres';
import { registryAnswers, registryUrl, stopRegistry } from '../../stack/src/registry';
import { loadStackSettings, repoRoot, type StackSettings } from '../../stack/src/settings';
import { stackUp, type StackEnv } from '../../stack/src/stack';

/**
 * The chaos suite's own stack: Kafka, the registry and PostgreSQL in their own directory and on
 * their own ports, so pausing and stopping them never disturbs a developer's (or CI's) `.stack`.
 * CHAOS_STACK_DIR and CHAOS_*_PORT override the defaults; the artifact cache is shared with `.stack`.
 */
export function chaosStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const root = repoRoot();
  const settings = loadStackSettings({
    STACK_DIR: env.CHAOS_STACK_DIR || join(root, '.stack', 'chaos'),
    STACK_KAFKA_PORT: env.CHAOS_KAFKA_PORT || '29092',
    STACK_KAFKA_CONTROLLER_PORT: env.CHAOS_KAFKA_CONTROLLER_PORT || '29093',
    STACK_REGISTRY_PORT: env.CHAOS_REGISTRY_PORT || '28081',
    STACK_PG_PORT: env.CHAOS_PG_PORT || '25532',
    STACK_KAFKA_HEAP: env.CHAOS_KAFKA_HEAP || '768m',
    STACK_REGISTRY_HEAP: env.CHAOS_REGISTRY_HEAP || '384m',
    ...(env.STACK_PG_BIN ? { STACK_PG_BIN: env.STACK_PG_BIN } : {}),
  });
  return settings;
}

/** Reuses `.stack/cache` (Kafka's and Apicurio's jars) instead of fetching them again. */
function shareCache(s: StackSettings): void {
  const shared = join(s.root, '.stack', 'cache');
  mkdirSync(s.stackDir, { recursive: true });
  if (!existsSync(s.cacheDir) && existsSync(shared) && shared !== s.cacheDir) symlinkSync(shared, s.cacheDir);
}

export interface ChaosStack {
  settings: StackSettings;
  env: StackEnv;
}

/** Starts whatever of the chaos stack is not running (idempotent) and resumes a paused broker. */
export async function ensureChaosStack(s: StackSettings, say: (line: string) => void): Promise<ChaosStack> {
  shareCache(s);
  resumeKafka(s);
  const env = await stackUp((line) => say(`[stack] ${line}`), s);
  return { settings: s, env };
}

// ---- Kafka ------------------------------------------------------------------------------------

function kafkaPid(s: StackSettings): number {
  const pid = readPid(kafkaPaths(s).pidFile);
  if (pid === undefined) throw new Error(`no Kafka pid in ${kafkaPaths(s).pidFile}: is the chaos stack up?`);
  return pid;
}

/** SIGSTOP to the broker JVM: connections stay open, nothing answers (a frozen broker, a GC pause, a network partition). */
export function pauseKafka(s: StackSettings): void {
  process.kill(kafkaPid(s), 'SIGSTOP');
}

export function resumeKafka(s: StackSettings): void {
  const pid = readPid(kafkaPaths(s).pidFile);
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    /* not running */
  }
}

export async function kafkaHealthy(s: StackSettings): Promise<boolean> {
  return kafkaAnswers(`127.0.0.1:${s.kafkaPort}`);
}

export { stopKafka };

// ---- PostgreSQL -------------------------------------------------------------------------------

function pgCtl(s: StackSettings, args: string[]): string {
  const pg = pgServer(s);
  const cmd = join(s.pgBinDir, 'pg_ctl');
  const full = ['-D', pg.dataDir, ...args];
  return isRoot() ? run('runuser', ['-u', 'postgres', '--', cmd, ...full]) : run(cmd, full);
}

/** `pg_ctl restart -m immediate`: every backend killed without a checkpoint, crash recovery on start. */
export function restartPostgresImmediate(s: StackSettings): void {
  const pg = pgServer(s);
  pgCtl(s, ['-m', 'immediate', '-w', '-t', '120', '-l', pg.logFile, 'restart']);
}

/** `pg_ctl stop -m immediate` (what a crash or an OOM kill leaves). */
export function stopPostgresImmediate(s: StackSettings): void {
  if (pgRunning(s, pgServer(s))) pgCtl(s, ['-m', 'immediate', '-w', 'stop']);
}

export function postgresRunning(s: StackSettings): boolean {
  return pgRunning(s, pgServer(s));
}

// ---- schema registry --------------------------------------------------------------------------

export async function registryHealthy(s: StackSettings): Promise<boolean> {
  return registryAnswers(registryUrl(s)).catch(() => false);
}

export { stopRegistry };

/** Waits until every server of the stack answers (after a fault), or throws after `timeoutMs`. */
export async function waitStackHealthy(s: StackSettings, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = postgresRunning(s) && (await kafkaHealthy(s)) && (await registryHealthy(s));
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the chaos stack is not healthy');
    await sleep(500);
  }
}
