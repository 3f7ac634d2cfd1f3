import { installShutdown } from '../src';

// Emitted by hand (process.emit): never delivered to, nor handled by, jest itself.
const FIRST = 'SIGUSR2' as const;
const OTHER = 'SIGWINCH' as const;

function setup(now: () => number) {
  const exits: number[] = [];
  const lines: string[] = [];
  const stop = jest.fn(() => new Promise<void>(() => undefined));
  const uninstall = installShutdown({
    stop,
    timeoutMs: 60_000,
    signals: [FIRST, OTHER],
    now,
    exit: (code) => exits.push(code),
    logger: {
      info: (event, msg) => lines.push(`${event} ${msg}`),
      error: (event, msg) => lines.push(`${event} ${msg}`),
    },
  });
  return { exits, lines, stop, uninstall };
}

describe('installShutdown with two signals', () => {
  let uninstall: (() => void) | undefined;
  afterEach(() => uninstall?.());

  it('when the other signal follows the first within the companion window, then it is the same request: stop runs once and nothing exits', () => {
    let t = 1000;
    const s = setup(() => t);
    uninstall = s.uninstall;
    process.emit(FIRST, FIRST);
    t += 500;
    process.emit(OTHER, OTHER);
    expect(s.stop).toHaveBeenCalledTimes(1);
    expect(s.exits).toEqual([]);
    expect(s.lines.join('\n')).not.toContain('stop_failed');
    expect(s.lines[1]).toContain('already stopping');
  });

  it('when the other signal comes after the companion window, then it forces the exit with code 1', () => {
    let t = 1000;
    const s = setup(() => t);
    uninstall = s.uninstall;
    process.emit(FIRST, FIRST);
    t += 2500;
    process.emit(OTHER, OTHER);
    expect(s.exits).toEqual([1]);
    expect(s.lines[1]).toMatch(/^service\.stop_failed second SIGWINCH/);
  });
});
