import { Supervisor, type Child, type ChildSpec } from '../src/children';
import { CrashHistory, restartLine, type RestartPolicy } from '../src/restart-policy';

const policy: RestartPolicy = { maxRestarts: 5, windowMs: 60_000, initialDelayMs: 1_000, maxDelayMs: 8_000 };

describe('restart policy', () => {
  it('when a child keeps crashing, then it is restarted after 1, 2, 4, 8, 8 s and the sixth crash in the window gives up', () => {
    const history = new CrashHistory(policy);
    const decisions = [0, 1, 2, 3, 4, 5].map((i) => history.crashed(i * 1000));
    expect(
      decisions.slice(0, 5).map((d) => (d.action === 'restart' ? [d.delayMs, d.attempt, d.of] : d)),
    ).toEqual([
      [1000, 1, 5],
      [2000, 2, 5],
      [4000, 3, 5],
      [8000, 4, 5],
      [8000, 5, 5],
    ]);
    expect(decisions[5]).toEqual({ action: 'give-up', crashes: 6, windowMs: 60_000 });
  });

  it('when crashes are further apart than the window, then the count and the backoff start over', () => {
    const history = new CrashHistory(policy);
    history.crashed(0);
    history.crashed(1000);
    expect(history.crashed(70_000)).toMatchObject({ action: 'restart', delayMs: 1000, attempt: 1 });
  });

  it('when a restart is decided, then the line names the service, its exit, the delay and the attempt', () => {
    expect(restartLine('projector', 1, null, { action: 'restart', delayMs: 2000, attempt: 2, of: 5 })).toBe(
      'projector exited with code 1; restarting in 2 s (attempt 2/5)',
    );
    expect(
      restartLine('scheduler', null, 'SIGKILL', { action: 'give-up', crashes: 6, windowMs: 300_000 }),
    ).toBe('scheduler exited on SIGKILL: 6 crashes within 300 s; giving up and stopping everything');
  });
});

/** A child that exits when the test says so. */
function fakeChild(name: string) {
  let exit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (exit = resolve));
  const child: Child = {
    name,
    exited,
    process: { exitCode: null, kill: () => (exit(0), true) } as unknown as Child['process'],
  };
  return { child, exit };
}

describe('Supervisor', () => {
  const spec: ChildSpec = { name: 'projector', entry: 'x.ts', env: {}, index: 0, cwd: '.' };
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('when a child exits unexpectedly, then it is started again after the backoff, and after too many crashes it gives up once', async () => {
    const started: ReturnType<typeof fakeChild>[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const lines: string[] = [];
    const onGiveUp = jest.fn();
    const supervisor = new Supervisor({
      start: (s) => {
        const c = fakeChild(s.name);
        started.push(c);
        return c.child;
      },
      log: (l) => lines.push(l),
      onGiveUp,
      policy: { ...policy, maxRestarts: 2 },
      now: () => 0,
      setTimer: (fn, ms) => {
        timers.push({ fn, ms });
        return 0 as unknown as NodeJS.Timeout;
      },
    });
    supervisor.add(spec);
    for (let crash = 0; crash < 3; crash += 1) {
      started.at(-1)!.exit(1);
      await tick();
      if (crash < 2) timers.at(-1)!.fn();
    }
    expect(started).toHaveLength(3);
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000]);
    expect(lines).toEqual([
      'projector exited with code 1; restarting in 1 s (attempt 1/2)',
      'projector exited with code 1; restarting in 2 s (attempt 2/2)',
      'projector exited with code 1: 3 crashes within 60 s; giving up and stopping everything',
    ]);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
  });

  it('when stopping (Ctrl-C), then exits are not restarts and a pending restart is cancelled', async () => {
    const started: ReturnType<typeof fakeChild>[] = [];
    const lines: string[] = [];
    const supervisor = new Supervisor({
      start: (s) => {
        const c = fakeChild(s.name);
        started.push(c);
        return c.child;
      },
      log: (l) => lines.push(l),
      onGiveUp: jest.fn(),
      policy,
    });
    supervisor.add(spec);
    supervisor.add({ ...spec, name: 'scheduler' });
    started[0]!.exit(1);
    await tick();
    await supervisor.stop(100);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(lines).toEqual(['projector exited with code 1; restarting in 1 s (attempt 1/5)']);
    expect(started).toHaveLength(2);
  });

  it('when it stops, then the simulators (stopLast) get their signal only after every service exited', async () => {
    const order: string[] = [];
    const make = (name: string) => {
      let exit!: (code: number | null) => void;
      const exited = new Promise<number | null>((resolve) => (exit = resolve));
      const child: Child = {
        name,
        exited,
        process: {
          exitCode: null,
          kill: () => {
            order.push(`kill ${name}`);
            // a service takes a moment to drain; a simulator stops at once
            setTimeout(() => (order.push(`exit ${name}`), exit(0)), name.startsWith('sim') ? 0 : 20);
            return true;
          },
        } as unknown as Child['process'],
      };
      return child;
    };
    const supervisor = new Supervisor({
      start: (s) => make(s.name),
      log: () => undefined,
      onGiveUp: () => undefined,
    });
    supervisor.add({ ...spec, name: 'sim-curagenesis', stopLast: true });
    supervisor.add({ ...spec, name: 'ingest-curagenesis' });
    supervisor.add({ ...spec, name: 'projector' });
    await supervisor.stop(5_000);
    expect(order.indexOf('kill sim-curagenesis')).toBeGreaterThan(order.indexOf('exit ingest-curagenesis'));
    expect(order.indexOf('kill sim-curagenesis')).toBeGreaterThan(order.indexOf('exit projector'));
    expect(order.at(-1)).toBe('exit sim-curagenesis');
  });
});
