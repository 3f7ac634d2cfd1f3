import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createRepcardSimulator, type RepcardSimulator } from '../../../tools/sim-repcard/src';
import {
  createTestDatabase,
  startServiceProcess,
  uniqueName,
  type ServiceProcess,
  type TestDatabase,
} from './index';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * One isolated RepCard pipeline for an e2e test: its own topic namespace, database, simulator, and
 * the projector and ingest-repcard as real processes (so they can be killed with SIGKILL).
 */
export interface Pipeline {
  namespace: string;
  db: TestDatabase;
  pool: Pool;
  sim: RepcardSimulator;
  simUrl: string;
  env: NodeJS.ProcessEnv;
  projector: ServiceProcess;
  ingest: ServiceProcess;
  startIngest(): Promise<ServiceProcess>;
  startProjector(): Promise<ServiceProcess>;
  close(): Promise<void>;
}

export async function startPipeline(
  simOptions: Parameters<typeof createRepcardSimulator>[0],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Pipeline> {
  const namespace = `${uniqueName('e2e')}.`;
  const db = await createTestDatabase('e2e');
  const sim = createRepcardSimulator({ now: new Date(), ...simOptions });
  const { url } = await sim.start();
  const env: NodeJS.ProcessEnv = {
    // The simulator answers on http://127.0.0.1, which source clients accept only in tests and demo
    // mode (source-url-policy.ts); the benchmarks run this pipeline outside jest too.
    NODE_ENV: 'test',
    TRIBUTARY_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: db.url,
    REPCARD_API_URL: url,
    REPCARD_API_KEY: sim.config.apiKey,
    REPCARD_RATE_LIMIT: String(simOptions?.rateLimit ?? 100),
    REPCARD_RATE_PERIOD_MS: String(simOptions?.ratePeriodMs ?? 60_000),
    ...extraEnv,
  };
  const p: Pipeline = {
    namespace,
    db,
    pool: new Pool({ connectionString: db.url, max: 2 }),
    sim,
    simUrl: url,
    env,
    projector: undefined as unknown as ServiceProcess,
    ingest: undefined as unknown as ServiceProcess,
    async startIngest() {
      p.ingest = startServiceProcess('ingest-repcard', env);
      await p.ingest.ready();
      return p.ingest;
    },
    async startProjector() {
      p.projector = startServiceProcess('projector', env);
      await p.projector.ready();
      return p.projector;
    },
    async close() {
      await Promise.all([p.ingest?.stop(), p.projector?.stop()]);
      await p.pool.end();
      await sim.stop();
      await db.drop();
    },
  };
  // The projector first: it applies the migrations. A service that does not start stops the others.
  try {
    await p.startProjector();
    await p.startIngest();
  } catch (err) {
    await p.close().catch(() => undefined);
    throw err;
  }
  return p;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run sync:repcard -- <args>` (the CLI entry) against the pipeline. */
export function runCli(p: Pipeline, args: string[], timeoutMs = 600_000): Promise<CliResult> {
  return runEntry(p, 'tools/cli/src/sync-repcard.ts', args, timeoutMs);
}

/** Runs `tributary <args>` (tools/cli) against the pipeline. */
export function runTributary(p: Pipeline, args: string[], timeoutMs = 600_000): Promise<CliResult> {
  return runEntry(p, 'tools/cli/src/tributary.ts', args, timeoutMs);
}

function runEntry(p: Pipeline, entry: string, args: string[], timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...p.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The syncId the CLI printed. */
export function syncIdOf(out: string): string {
  const m = /sync requested: ([0-9a-f-]{36})/.exec(out);
  if (!m) throw new Error(`no syncId in CLI output:\n${out}`);
  return m[1]!;
}
