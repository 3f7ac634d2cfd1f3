import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pollUntil } from './poll';

/** A Kafka Connect worker in standalone mode, driven through its REST API. */
export interface ConnectWorker {
  url: string;
  logFile: string;
  /** Creates (or replaces) a connector and waits until its tasks run; throws with the task's trace if one fails. */
  putConnector(name: string, config: Record<string, string>): Promise<void>;
  /** Throws with the failing task's trace if the connector or a task of it failed. */
  assertRunning(name: string): Promise<void>;
  deleteConnector(name: string): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `ConnectStandalone` (no connector yet) with `classpath` (Connect's jars) and `pluginPath`
 * (connector plugins), keys as strings and values as JSON with schemas. Its offsets file and
 * configuration live in `workDir`; its output goes to `logFile`.
 */
export async function startConnect(opts: {
  classpath: string;
  pluginPath: string;
  brokers: string;
  workDir: string;
  logFile: string;
  heap?: string;
}): Promise<ConnectWorker> {
  mkdirSync(opts.workDir, { recursive: true });
  const port = await freePort();
  const worker = join(opts.workDir, 'worker.properties');
  const log4j = join(opts.workDir, 'log4j.properties');
  writeFileSync(
    worker,
    [
      `bootstrap.servers=${opts.brokers}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable=true',
      `offset.storage.file.filename=${join(opts.workDir, 'connect.offsets')}`,
      `plugin.path=${opts.pluginPath}`,
      `listeners=http://127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    log4j,
    [
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.org.reflections=ERROR',
      'log4j.logger.org.hibernate=WARN',
      'log4j.logger.com.mchange=WARN',
      '',
    ].join('\n'),
  );
  const fd = openSync(opts.logFile, 'a');
  const child: ChildProcess = spawn(
    'java',
    [
      `-Xms256m`,
      `-Xmx${opts.heap ?? '1g'}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${log4j}`,
      '-cp',
      opts.classpath,
      'org.apache.kafka.connect.cli.ConnectStandalone',
      worker,
    ],
    { cwd: opts.workDir, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const tail = () => readFileSync(opts.logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killed);
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok && res.status !== 404)
      throw new Error(`Kafka Connect ${method} ${path}: ${res.status} ${text}`);
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
  type Status = {
    connector: { state: string; trace?: string };
    tasks: { id: number; state: string; trace?: string }[];
  };
  const status = async (name: string): Promise<Status | undefined> => {
    const r = await call('GET', `/connectors/${name}/status`);
    return r.status === 404 ? undefined : (r.json as Status);
  };
  const assertRunning = async (name: string) => {
    const s = await status(name);
    const failed = s && [s.connector, ...s.tasks].find((t) => t.state === 'FAILED');
    if (failed)
      throw new Error(
        `connector ${name} failed:\n${(failed.trace ?? '').split('\n').slice(0, 12).join('\n')}`,
      );
  };
  try {
    await pollUntil(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`Kafka Connect exited with ${child.exitCode}:\n${tail()}`);
        return fetch(`${url}/connector-plugins`).then(
          (r) => r.ok,
          () => false,
        );
      },
      {
        timeoutMs: 180_000,
        intervalMs: 500,
        description: `Kafka Connect answering on ${url} (log: ${opts.logFile})`,
      },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    logFile: opts.logFile,
    async putConnector(name, config) {
      await call('PUT', `/connectors/${name}/config`, config);
      await pollUntil(
        async () => {
          await assertRunning(name);
          const s = await status(name);
          return (
            !!s &&
            s.connector.state === 'RUNNING' &&
            s.tasks.length > 0 &&
            s.tasks.every((t) => t.state === 'RUNNING')
          );
        },
        { timeoutMs: 120_000, intervalMs: 500, description: `connector ${name} running` },
      );
    },
    assertRunning,
    async deleteConnector(name) {
      await call('DELETE', `/connectors/${name}`);
    },
    stop,
  };
}
