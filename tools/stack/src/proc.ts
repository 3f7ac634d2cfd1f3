import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { sleep, TributaryError } from '@tributary/core';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const res: SpawnSyncReturns<string> = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.error)
    throw new TributaryError('STACK_COMMAND_FAILED', `${cmd}: ${res.error.message}`, { cause: res.error });
  if (res.status !== 0) {
    const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new TributaryError(
      'STACK_COMMAND_FAILED',
      `${cmd} ${args.join(' ')} exited ${res.status}:\n${out}`,
    );
  }
  return res.stdout;
}

export function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Starts a long-running server detached from this process, its output appended to `logFile`. */
export function startDetached(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string; pidFile: string },
): number {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new TributaryError('STACK_SPAWN_FAILED', `could not start ${cmd}`);
  writeFileSync(opts.pidFile, String(child.pid));
  return child.pid;
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim().split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Whether `pid` is a running process. A zombie (exited, not yet reaped by a parent that is busy, as
 * the cluster suite's launcher is while it waits for jest) is not: its server is gone.
 */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; comm may hold spaces and parentheses, the state follows the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopPid(pidFile: string, graceMs = 30_000): Promise<boolean> {
  const pid = readPid(pidFile);
  if (!isAlive(pid)) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid!, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid!, 'SIGKILL');
  rmSync(pidFile, { force: true });
  return true;
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `probe` until it returns true; fails naming `what` and pointing at the log. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  { timeoutMs, logFile, pid }: { timeoutMs: number; logFile?: string; pid?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (pid !== undefined && !isAlive(pid)) {
      throw new TributaryError('STACK_SERVER_DIED', `${what} exited during start-up${tail(logFile)}`);
    }
    if (Date.now() > deadline) {
      throw new TributaryError(
        'STACK_START_TIMEOUT',
        `${what} did not answer within ${timeoutMs / 1000}s${tail(logFile)}`,
      );
    }
    await sleep(250);
  }
}

function tail(logFile?: string): string {
  if (!logFile || !existsSync(logFile)) return '';
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').slice(-12);
  return `; last lines of ${logFile}:\n  ${lines.join('\n  ')}`;
}
