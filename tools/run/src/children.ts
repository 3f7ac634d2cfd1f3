import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { serviceNodeFlags } from '@tributary/config';
import { CrashHistory, DEFAULT_RESTART_POLICY, restartLine, type RestartPolicy } from './restart-policy';

const COLORS = [36, 33, 35, 32, 34, 91, 96];

export interface Child {
  name: string;
  process: Pick<ChildProcess, 'kill' | 'exitCode'>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<number | null>;
  signal?: () => NodeJS.Signals | null;
}

/** What to run: a service or a simulator, as `tsx <entry>` with its environment. */
export interface ChildSpec {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  index: number;
  cwd: string;
  /**
   * Stopped only once every other child has exited: the API simulators, so that a service's
   * in-flight request to one finishes and the service stops at its page boundary.
   */
  stopLast?: boolean;
}

/**
 * kafkajs 2.2.4 schedules a negative timeout (tulios/kafkajs#1751, not fixed upstream): every process
 * printed a TimeoutNegativeWarning at start-up. Hidden where Node can (>= 20.11).
 */
const QUIET = process.allowedNodeEnvironmentFlags.has('--disable-warning')
  ? ['--disable-warning=TimeoutNegativeWarning']
  : [];

/** Runs `tsx <entry>` as a child whose every output line is prefixed with its name. */
export function startChild(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  index: number,
  cwd: string,
): Child {
  // Its own process group (detached): a terminal's Ctrl-C reaches only the runner, which then sends
  // ONE SIGTERM (stopChildren). Sent both, a service took the second signal for "exit now" and
  // never left its consumer groups. The runner SIGTERMs what is left if it exits itself.
  const child = spawn(
    process.execPath,
    [...QUIET, ...serviceNodeFlags(env, name), '--import', 'tsx', entry],
    {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const tty = process.stdout.isTTY;
  const label = tty
    ? `\x1b[${COLORS[index % COLORS.length]}m${name.padEnd(18)}\x1b[0m|`
    : `${name.padEnd(18)}|`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => process.stdout.write(`${label} ${line}\n`));
  }
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, sig) => {
      signal = sig;
      resolve(code);
    }),
  );
  return { name, process: child, exited, signal: () => signal };
}

export async function stopChildren(children: Child[], timeoutMs = 20_000): Promise<void> {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  }, timeoutMs);
  await Promise.all(children.map((c) => c.exited));
  clearTimeout(timer);
}

export interface SupervisorOptions {
  /** Starts a child (default `startChild`). */
  start?: (spec: ChildSpec) => Child;
  /** Where "restarting" and "giving up" lines go. */
  log: (line: string) => void;
  /** Called once when a child crashed too often: the caller stops everything. */
  onGiveUp: (name: string) => void;
  policy?: RestartPolicy;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => NodeJS.Timeout;
}

/**
 * Keeps children running (`npm start`): a child that exits while not stopping is restarted with
 * exponential backoff (RestartPolicy), a line saying so; after too many crashes in the window it
 * calls `onGiveUp`. `stop()` stops everything once, cancelling pending restarts.
 */
export class Supervisor {
  private readonly running = new Map<string, Child>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly lastToStop = new Set<string>();
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {}

  add(spec: ChildSpec): void {
    this.launch(spec, new CrashHistory(this.options.policy ?? DEFAULT_RESTART_POLICY));
  }

  children(): Child[] {
    return [...this.running.values()];
  }

  async stop(timeoutMs?: number): Promise<void> {
    this.stopping = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    const children = this.children();
    await stopChildren(
      children.filter((c) => !this.lastToStop.has(c.name)),
      timeoutMs,
    );
    await stopChildren(
      children.filter((c) => this.lastToStop.has(c.name)),
      timeoutMs,
    );
  }

  private launch(spec: ChildSpec, history: CrashHistory): void {
    const start =
      this.options.start ?? ((s: ChildSpec) => startChild(s.name, s.entry, s.env, s.index, s.cwd));
    const child = start(spec);
    this.running.set(spec.name, child);
    if (spec.stopLast) this.lastToStop.add(spec.name);
    void child.exited.then((code) => {
      if (this.stopping) return;
      const decision = history.crashed((this.options.now ?? Date.now)());
      this.options.log(restartLine(spec.name, code, child.signal?.() ?? null, decision));
      if (decision.action === 'give-up') {
        this.options.onGiveUp(spec.name);
        return;
      }
      const timer = (this.options.setTimer ?? setTimeout)(() => {
        this.pending.delete(timer);
        if (!this.stopping) this.launch(spec, history);
      }, decision.delayMs);
      this.pending.add(timer);
    });
  }
}
