import { spawn } from 'node:child_process';
import { isAlive } from '../src/proc';

describe('isAlive', () => {
  test('when a child was killed and not yet reaped (a zombie), then it is not alive', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid!;
    expect(isAlive(pid)).toBe(true);
    // Kill it and keep it unreaped: a synchronous busy wait keeps Node from handling SIGCHLD meanwhile.
    process.kill(pid, 'SIGKILL');
    const until = Date.now() + 500;
    while (Date.now() < until) {
      /* the child exits and stays a zombie: nothing reaps it while this loop runs */
    }
    expect(isAlive(pid)).toBe(false);
    await new Promise((r) => child.once('exit', r));
  });

  test('when no such process exists, then it is not alive', () => {
    expect(isAlive(2 ** 22 + 17)).toBe(false);
    expect(isAlive(undefined)).toBe(false);
  });
});
