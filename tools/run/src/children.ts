import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLORS = [36, 33, 35, 32, 34, 91, 96];

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/** Runs `tsx <entry>` as a child whose every output line is prefixed with its name. */
export function startChild(name: string, entry: string, env: NodeJS.ProcessEnv, index: number, cwd: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tty = process.stdout.isTTY;
  const label = tty ? `\x1b[${COLORS[index % COLORS.length]}m${name.padEnd(18)}\x1b[0m|` : `${name.padEnd(18)}|`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => process.stdout.write(`${label} ${line}\n`));
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, process: child, exited };
}

export async function stopChildren(children: Child[], timeoutMs = 20_000): Promise<void> {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  }, timeoutMs);
  await Promise.all(children.map((c) => c.exited));
  clearTimeout(timer);
}
