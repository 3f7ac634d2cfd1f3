import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { serviceNodeFlags } from '@tributary/config';
import { waitFor } from './wait';

const ROOT = join(__dirname, '..', '..', '..');

export interface ServiceProcess {
  name: string;
  process: ChildProcess;
  /** Every output line so far (JSON log lines and anything else). */
  lines: string[];
  /** The HTTP port it bound (from its `service.started` log line). */
  port(): Promise<number>;
  /** Resolves when /readyz answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9): no shutdown code runs. */
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Runs a service (`services/<name>/src/main.ts`) or any tsx entry as a real process, with PORT=0
 * and the given environment, for tests that need whole services (and `kill -9`). An entry ending in
 * `.js` (a bundle of `npm run build`, `dist/<name>/main.js`) runs as the image runs it: without tsx.
 */
export function startServiceProcess(
  name: string,
  env: NodeJS.ProcessEnv,
  entry = join('services', name, 'src', 'main.ts'),
): ServiceProcess {
  // TRIBUTARY_SERVICE_NODE_ARGS: extra node flags for every service started here, e.g.
  // `--cpu-prof --cpu-prof-dir=/tmp/prof` (flags NODE_OPTIONS refuses).
  const nodeArgs = [
    // The flags the service ships with (npm start and the image use them too).
    ...serviceNodeFlags({ ...process.env, ...env }, name),
    ...(process.env.TRIBUTARY_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const loader = entry.endsWith('.js') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    if (process.env.TRIBUTARY_TEST_LOGS) for (const l of parts) process.stderr.write(`[${name}] ${l}\n`);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
  );
  let boundPort: number | undefined;
  const port = async (): Promise<number> => {
    if (boundPort !== undefined) return boundPort;
    boundPort = await waitFor(
      () => {
        if (child.exitCode !== null)
          throw new Error(`${name} exited with ${child.exitCode}:\n${lines.slice(-20).join('\n')}`);
        for (const l of lines) {
          if (!l.includes('"service.started"')) continue;
          try {
            const p = (JSON.parse(l) as { port?: number }).port;
            if (typeof p === 'number') return p;
          } catch {
            /* not JSON */
          }
        }
        return undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100, description: `${name} to listen` },
    );
    return boundPort;
  };
  return {
    name,
    process: child,
    lines,
    exited,
    port,
    async ready(timeoutMs = 90_000) {
      const p = await port();
      await waitFor(async () => (await fetch(`http://127.0.0.1:${p}/readyz`)).ok, {
        timeoutMs,
        description: `${name} /readyz`,
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
