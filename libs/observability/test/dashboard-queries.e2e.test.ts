import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  createTestDatabase,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@tributary/testkit';
import { createRepcardSimulator } from '../../../tools/sim-repcard/src';
import {
  createCuragenesisSimulator,
  createWebhookSender,
  nextEvent,
} from '../../../tools/sim-curagenesis/src';
import { rngFor } from '../../../tools/sim-curagenesis/src/prng';

/**
 * The dashboards against a real Prometheus: the five services run as processes, the Debian
 * `prometheus` binary scrapes them every second (with the alert rules loaded), a scheduled slot
 * fires a small sync of both sources (RepCard serving two 503s and a malformed record: retries and a
 * dead letter), webhooks arrive (one signed, one not), and then every query of every Grafana
 * dashboard, its variables substituted as Grafana would, must return data.
 */
const ROOT = join(__dirname, '..', '..', '..');
const DASHBOARDS = join(ROOT, 'deploy', 'grafana', 'dashboards');
const ALERTS = join(ROOT, 'deploy', 'prometheus', 'alerts.yml');
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';
const HAS_PROMETHEUS = spawnSync(PROMETHEUS, ['--version'], { stdio: 'ignore' }).status === 0;
const WEBHOOK_SECRET = 'dashboard-queries-webhook-secret-0123456789abcdef';

if (!HAS_PROMETHEUS) {
  console.warn(
    `SKIPPED dashboard queries e2e: no \`${PROMETHEUS}\` binary (apt-get install prometheus; .ci/run installs it)`,
  );
}

/** Every Prometheus query of a Grafana dashboard, with its panel's title. */
function dashboardQueries(dashboard: { panels?: Panel[] }): { panel: string; expr: string }[] {
  const out: { panel: string; expr: string }[] = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ panel: p.title ?? '?', expr: t.expr });
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels ?? []);
  return out;
}
interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Grafana's variables as it would send them: every service, a rate window of 4 scrapes. */
const substitute = (expr: string): string =>
  expr.replaceAll('$service', '.*').replaceAll('$__rate_interval', '15s');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A port field of a service's `service.started` line (the gateway's internal port); StartFailed if it could not start. */
async function startedField(proc: ServiceProcess, field: string): Promise<number> {
  const found = await waitFor(
    (): { port: number } | { failed: string } | undefined => {
      if (proc.process.exitCode !== null || proc.lines.some((l) => l.includes('"service.start_failed"'))) {
        return { failed: `${proc.name} failed to start:\n${proc.lines.slice(-30).join('\n')}` };
      }
      for (const line of proc.lines) {
        if (!line.includes('"service.started"')) continue;
        const value = (JSON.parse(line) as Record<string, unknown>)[field];
        if (typeof value === 'number') return { port: value };
      }
      return undefined;
    },
    { timeoutMs: 240_000, intervalMs: 200, description: `${proc.name} ${field}` },
  );
  if ('failed' in found) throw new StartFailed(found.failed);
  return found.port;
}

class StartFailed extends Error {}

/** The last output lines of each service, to read when a step fails. */
function lastLines(services: readonly ServiceProcess[]): string {
  return services
    .map(
      (s) =>
        `--- ${s.name}\n${s.lines
          .slice(-15)
          .map((l) => l.slice(0, 400))
          .join('\n')}`,
    )
    .join('\n');
}

(HAS_PROMETHEUS ? describe : describe.skip)('the Grafana dashboards on a real Prometheus', () => {
  let db: TestDatabase;
  let pool: Pool;
  let prometheus: ChildProcess | undefined;
  let promDir: string;
  const services: ServiceProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await Promise.all(services.map((s) => s.stop().catch(() => undefined)));
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await pool?.end();
    await db?.drop().catch(() => undefined);
    if (promDir) rmSync(promDir, { recursive: true, force: true });
  });

  it('when the services have synced and received webhooks, then every dashboard query returns data and every rule evaluates', async () => {
    db = await createTestDatabase('dashboards');
    pool = new Pool({ connectionString: db.url, max: 2 });
    const repcard = createRepcardSimulator({
      seed: 21,
      size: 200,
      rateLimit: 1000,
      ratePeriodMs: 1000,
      now: new Date(),
      faults: { errorBurst: { status: 503, count: 2, after: 2 }, malformedIndices: { users: [0] } },
    });
    const repcardUrl = (await repcard.start()).url;
    closers.push(() => repcard.stop());
    const curagenesis = createCuragenesisSimulator({ seed: 22, practices: 20, orders: 50 });
    const curagenesisUrl = (await curagenesis.start()).url;
    closers.push(() => curagenesis.stop());

    const env: NodeJS.ProcessEnv = {
      TRIBUTARY_TOPIC_NAMESPACE: `${uniqueName('dash')}.`,
      DATABASE_URL: db.url,
      TRIBUTARY_DEMO: '1',
      REPCARD_API_URL: repcardUrl,
      REPCARD_API_KEY: repcard.config.apiKey,
      REPCARD_RATE_LIMIT: '1000',
      REPCARD_RATE_PERIOD_MS: '1000',
      CURAGENESIS_API_URL: curagenesisUrl,
      CURAGENESIS_API_KEY: 'sim-curagenesis-key',
      CURAGENESIS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      INTERNAL_PORT: '0',
      // A slot every minute: the scheduled sync is the test's sync, and the slot metrics have values.
      SCHEDULE_INCREMENTAL_CRON: '* * * * *',
      SCHEDULE_FULL_CRON: '0 0 1 1 *',
      SCHEDULE_SOURCES: 'repcard,curagenesis',
    };
    // The projector first: it creates the topics and applies the read-model migrations.
    const projector = startServiceProcess('projector', env);
    services.push(projector);
    await projector.ready(180_000);
    const rest = ['ingest-repcard', 'ingest-curagenesis', 'webhook-gateway', 'scheduler'].map((name) =>
      startServiceProcess(name, env),
    );
    services.push(...rest);
    const ports: Record<string, number> = {};
    try {
      for (const [i, s] of rest.entries()) {
        const field = s.name === 'webhook-gateway' ? 'internalPort' : 'port';
        // A start that fails on a loaded machine (a PostgreSQL connect timeout) is tried once more.
        ports[s.name] = await startedField(s, field).catch(async (err: unknown) => {
          if (!(err instanceof StartFailed)) throw err;
          await s.kill9().catch(() => undefined);
          rest[i] = startServiceProcess(s.name, env);
          services.push(rest[i]!);
          return startedField(rest[i]!, field);
        });
      }
      for (const s of rest) {
        await waitFor(async () => (await fetch(`http://127.0.0.1:${ports[s.name]}/readyz`)).ok, {
          timeoutMs: 180_000,
          description: `${s.name} /readyz`,
        });
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${lastLines(services)}`);
    }
    const gateway = rest[2]!;
    const gatewayInternal = ports['webhook-gateway']!;

    // Prometheus scraping the five, job = service name (as deploy/prometheus/prometheus.yml).
    promDir = mkdtempSync(join(tmpdir(), 'tributary-prom-'));
    const targets: Record<string, number> = {
      projector: await projector.port(),
      'ingest-repcard': ports['ingest-repcard']!,
      'ingest-curagenesis': ports['ingest-curagenesis']!,
      'webhook-gateway': gatewayInternal,
      scheduler: ports.scheduler!,
    };
    const config = [
      'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(ALERTS)}]`,
      'scrape_configs:',
      ...Object.entries(targets).map(
        ([job, port]) => `  - { job_name: ${job}, static_configs: [{ targets: ['127.0.0.1:${port}'] }] }`,
      ),
    ].join('\n');
    writeFileSync(join(promDir, 'prometheus.yml'), config);
    const promPort = await freePort();
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(promDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(promDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
    const api = `http://127.0.0.1:${promPort}/api/v1`;
    await waitFor(async () => (await fetch(`http://127.0.0.1:${promPort}/-/ready`)).ok, {
      timeoutMs: 60_000,
      description: 'prometheus ready',
    });

    // Webhooks: one signed (accepted, to Kafka), one not (401).
    const gatewayUrl = `http://127.0.0.1:${await gateway.port()}`;
    const sender = createWebhookSender({
      targetBaseUrl: gatewayUrl,
      secret: WEBHOOK_SECRET,
      scheme: 'standard',
      timeoutMs: 5_000,
    });
    const delivery = nextEvent(rngFor(3, 4), curagenesis.dataset, (m) => curagenesis.mutate(m));
    const [answer] = await sender.send(delivery);
    expect(answer?.status).toBeLessThan(300);
    const forged = createWebhookSender({
      targetBaseUrl: gatewayUrl,
      secret: 'not-the-secret-0123456789abcdef-0123456789',
      scheme: 'standard',
    });
    await forged.send(nextEvent(rngFor(3, 5), curagenesis.dataset));

    // The scheduled slot (within a minute) syncs both sources; each entity completes in sync_log.
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(DISTINCT source)::int AS n FROM sync_log WHERE status = 'completed'`,
        );
        return rows[0]!.n === 2;
      },
      { timeoutMs: 240_000, intervalMs: 1_000, description: 'a scheduled sync of both sources completed' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${lastLines(services)}`);
    });

    const queries = readdirJson(DASHBOARDS).flatMap(({ file, json }) =>
      dashboardQueries(json).map((q) => ({ file, ...q })),
    );
    expect(queries.length).toBeGreaterThan(20);
    const evaluate = async (expr: string): Promise<number> => {
      const res = await fetch(`${api}/query?query=${encodeURIComponent(substitute(expr))}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
      if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
      return body.data!.result.length;
    };
    let empty: string[] = [];
    await waitFor(
      async () => {
        empty = [];
        for (const q of queries)
          if ((await evaluate(q.expr)) === 0) empty.push(`${q.file} "${q.panel}": ${q.expr}`);
        return empty.length === 0;
      },
      { timeoutMs: 90_000, intervalMs: 2_000, description: 'every dashboard query to return data' },
    ).catch(() => undefined);
    expect(empty).toEqual([]);

    // The alert rules load and evaluate without error against the real series.
    const rules = (await (await fetch(`${api}/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    const unhealthy = rules.data.groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
    expect(unhealthy).toEqual([]);
  });
});

function readdirJson(dir: string): { file: string; json: { panels?: Panel[] } }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({
      file,
      json: JSON.parse(readFileSync(join(dir, file), 'utf8')) as { panels?: Panel[] },
    }));
}
