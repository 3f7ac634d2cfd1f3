import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startServiceProcess, waitFor, type ServiceProcess } from '@tributary/testkit';

/**
 * A service process under a supervisor, as `npm start` or Kubernetes runs it: an unexpected exit is
 * followed by a restart after a short backoff, and `kill9()` is the fault (the supervisor restarts it
 * too). Restarts are counted; the log lines of every incarnation are kept.
 */
export interface Supervised {
  name: string;
  current(): ServiceProcess;
  /** Unexpected exits (crashes and kills) so far, with their exit codes. */
  exits: { code: number | null; killed: boolean }[];
  lines(): string[];
  /** kill -9 the running incarnation; the supervisor starts a new one at once. */
  kill9(): Promise<void>;
  /** SIGSTOP / SIGCONT of the running incarnation. */
  freeze(): void;
  thaw(): void;
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, no restart. */
  stop(): Promise<void>;
  /** SIGKILL, no restart, nothing awaited. */
  abandon(): void;
}

/** Every supervised service of this process, so that an interrupted run leaves none behind. */
const everyService = new Set<Supervised>();

/** SIGKILL to every supervised service still running (the runner was interrupted). */
export function killAllSupervised(): void {
  for (const s of everyService) {
    s.abandon();
  }
}

export interface SuperviseOptions {
  /** Entry file (default the service's src/main.ts). */
  entry?: string;
  /** How to know a started incarnation is ready (default its /readyz on the HTTP port). */
  ready?: (p: ServiceProcess, timeoutMs: number) => Promise<void>;
  say?: (line: string) => void;
  /** Every incarnation's output is appended here when it exits. */
  logFile?: string;
}

export function supervise(name: string, env: NodeJS.ProcessEnv, options: SuperviseOptions = {}): Supervised {
  let stopping = false;
  let killing = false;
  const history: string[] = [];
  const exits: Supervised['exits'] = [];
  let proc: ServiceProcess;
  let backoffMs = 250;
  const start = (): void => {
    const p = options.entry ? startServiceProcess(name, env, options.entry) : startServiceProcess(name, env);
    proc = p;
    void p.exited.then((code) => {
      history.push(...p.lines);
      if (options.logFile) {
        mkdirSync(dirname(options.logFile), { recursive: true });
        appendFileSync(
          options.logFile,
          `${p.lines.join('\n')}\n--- exited with ${code}${killing ? ' (kill -9)' : ''}\n`,
        );
      }
      if (stopping) return;
      exits.push({ code, killed: killing });
      if (!killing) {
        const last = p.lines
          .filter((l) => /"level":"(error|fatal|warn)"|rror/.test(l))
          .slice(-2)
          .map((l) => l.slice(0, 400));
        options.say?.(
          `${name} exited with ${code}; restarting in ${backoffMs} ms${last.length ? `; last errors:\n    ${last.join('\n    ')}` : ''}`,
        );
      }
      const delay = killing ? 0 : backoffMs;
      backoffMs = killing ? backoffMs : Math.min(backoffMs * 2, 8000);
      killing = false;
      setTimeout(() => {
        if (!stopping) start();
      }, delay);
    });
  };
  start();
  const readyOf = options.ready ?? ((p: ServiceProcess, timeoutMs: number) => p.ready(timeoutMs));
  const supervised: Supervised = {
    name,
    current: () => proc,
    exits,
    lines: () => [...history, ...proc.lines],
    async kill9() {
      killing = true;
      const p = proc;
      await p.kill9();
      await waitFor(() => proc !== p, { timeoutMs: 10_000, description: `${name} restarted` });
    },
    freeze() {
      proc.process.kill('SIGSTOP');
    },
    thaw() {
      proc.process.kill('SIGCONT');
    },
    async ready(timeoutMs = 240_000) {
      await waitFor(
        async () => {
          await readyOf(proc, 5_000);
          return true;
        },
        { timeoutMs, intervalMs: 250, description: `${name} ready` },
      );
    },
    async stop() {
      stopping = true;
      proc.process.kill('SIGCONT');
      const code = await Promise.race([
        proc.stop(),
        new Promise<'slow'>((r) => setTimeout(() => r('slow'), 20_000)),
      ]);
      if (code === 'slow') await proc.kill9();
      everyService.delete(supervised);
    },
    abandon() {
      stopping = true;
      proc.process.kill('SIGKILL');
      everyService.delete(supervised);
    },
  };
  everyService.add(supervised);
  return supervised;
}
