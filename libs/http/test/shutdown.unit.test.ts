// Tests installShutdown from @tributary/core (libs/core/src/lifecycle.ts). It lives here because this
// work was limited to adding that one file in libs/core; move it to libs/core/test when convenient.
import { installShutdown } from '@tributary/core';
import { createLogger, createMetrics } from '@tributary/observability';
import { createHttpService } from '../src';

const SIGNAL = 'SIGUSR2' as const; // emitted by hand: never delivered to, nor handled by, jest itself

function setup(stop: () => Promise<void>, timeoutMs = 1000) {
  const exits: number[] = [];
  const exited = new Promise<number>((resolve) => {
    const uninstall = installShutdown({
      stop,
      timeoutMs,
      signals: [SIGNAL],
      exit: (code) => {
        exits.push(code);
        resolve(code);
      },
    });
    cleanups.push(uninstall);
  });
  return { exits, exited };
}
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('installShutdown', () => {
  it('when a signal arrives, then stop runs once and the process exits 0', async () => {
    const stop = jest.fn(async () => undefined);
    const { exited } = setup(stop);
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(0);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('when stop throws, then the process exits 1', async () => {
    const { exited } = setup(async () => {
      throw new Error('consumer would not disconnect');
    });
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(1);
  });

  it('when stop takes longer than the timeout, then the process exits 1', async () => {
    const { exited } = setup(() => new Promise<void>(() => undefined), 50);
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(1);
  });

  it('when a second signal arrives during shutdown, then the process exits 1 at once and stop is not rerun', async () => {
    const stop = jest.fn(() => new Promise<void>(() => undefined));
    const { exits } = setup(stop, 60_000);
    process.emit(SIGNAL, SIGNAL);
    process.emit(SIGNAL, SIGNAL);
    expect(exits).toEqual([1]);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('when uninstalled, then a signal does nothing', () => {
    const stop = jest.fn(async () => undefined);
    const exits: number[] = [];
    installShutdown({ stop, signals: [SIGNAL], exit: (c) => exits.push(c) })();
    process.emit(SIGNAL, SIGNAL);
    expect(stop).not.toHaveBeenCalled();
    expect(exits).toEqual([]);
  });

  it('when wired to an HTTP service and a logger, then the server is stopped and both steps logged', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('svc', { stream: { write: (s: string) => lines.push(JSON.parse(s)) } });
    const http = createHttpService({ service: 'svc', logger, metrics: createMetrics('svc') });
    const port = await http.start(0, '127.0.0.1');
    const exited = new Promise<number>((resolve) => {
      cleanups.push(installShutdown({ logger, stop: () => http.stop(), signals: [SIGNAL], exit: resolve }));
    });
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(lines.map((l) => l.event)).toEqual(['service.stopping', 'service.stopped']);
  });
});
