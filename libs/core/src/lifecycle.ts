import { errorMessage } from './errors';

/** The part of `@tributary/observability`'s Logger this needs (core depends on no other lib). */
export interface ShutdownLogger {
  info(event: 'service.stopping' | 'service.stopped', msg: string, fields?: Record<string, unknown>): void;
  error(event: 'service.stop_failed', msg: string, fields?: Record<string, unknown>): void;
}

export interface ShutdownOptions {
  logger?: ShutdownLogger;
  /** Stops the service: HTTP server, consumers, producers, pools, in that order. */
  stop: () => Promise<void>;
  /** After this long, give up on `stop` and exit 1. Default 15000 ms. */
  timeoutMs?: number;
  /**
   * A different signal arriving this soon after the first is the same request, not a second one
   * (default 2000 ms): a terminal's Ctrl-C reaches every process of its foreground group, and a
   * supervisor (npm, a runner, a container runtime) may then send its own SIGTERM.
   */
  companionSignalMs?: number;
  /** For tests. */
  now?: () => number;
  /** For tests. */
  signals?: readonly NodeJS.Signals[];
  exit?: (code: number) => void;
}

/**
 * Graceful shutdown for a service's `main.ts`: on the first SIGTERM or SIGINT it runs `stop` once and
 * exits 0, or 1 if `stop` throws or takes longer than `timeoutMs`. The same signal again exits 1 at
 * once (an operator pressing Ctrl-C twice); the other signal within `companionSignalMs` of the first
 * is the same request (Ctrl-C in a terminal, then the supervisor's SIGTERM) and changes nothing.
 * Returns a function that removes the handlers.
 */
export function installShutdown(options: ShutdownOptions): () => void {
  const {
    logger,
    stop,
    timeoutMs = 15_000,
    signals = ['SIGTERM', 'SIGINT'],
    companionSignalMs = 2000,
  } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? Date.now;
  let stopping = false;
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  let timer: NodeJS.Timeout | undefined;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping && first && signal !== first.signal && now() - first.at <= companionSignalMs) {
      logger?.info(
        'service.stopping',
        `${signal} received while stopping on ${first.signal}: already stopping`,
        { signal },
      );
      return;
    }
    if (stopping) {
      clearTimeout(timer);
      logger?.error('service.stop_failed', `second ${signal} during shutdown: exiting now`, { signal });
      exit(1);
      return;
    }
    stopping = true;
    first = { signal, at: now() };
    logger?.info('service.stopping', `${signal} received: stopping`, { signal, timeoutMs });
    const started = Date.now();
    let stopped: Promise<void>;
    try {
      stopped = stop();
    } catch (err) {
      stopped = Promise.reject(err);
    }
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    Promise.race([stopped, timeout]).then(
      (result) => {
        clearTimeout(timer);
        if (result === 'timeout') {
          logger?.error('service.stop_failed', `shutdown did not finish within ${timeoutMs} ms`, {
            signal,
            timeoutMs,
          });
          exit(1);
        } else {
          logger?.info('service.stopped', 'stopped', { signal, durationMs: Date.now() - started });
          exit(0);
        }
      },
      (err: unknown) => {
        clearTimeout(timer);
        logger?.error('service.stop_failed', `shutdown failed: ${errorMessage(err)}`, { signal, err });
        exit(1);
      },
    );
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    clearTimeout(timer);
    for (const signal of signals) process.off(signal, onSignal);
  };
}
