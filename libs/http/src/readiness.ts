import { errorMessage, TributaryError } from '@tributary/core';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessResult {
  ready: boolean;
  checks: Record<string, string>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`; a check passes when it resolves in time. */
export async function runReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessResult> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      try {
        await withTimeout(Promise.resolve().then(check), timeoutMs);
        return [name, 'ok'];
      } catch (err) {
        return [name, errorMessage(err) || 'failed'];
      }
    }),
  );
  return { ready: entries.every(([, result]) => result === 'ok'), checks: Object.fromEntries(entries) };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TributaryError('READINESS_TIMEOUT', `timed out after ${timeoutMs} ms`, { retriable: true }),
        ),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface CachedCheckOptions {
  /** How long a result is reused, ms (default 5000). */
  ttlMs?: number;
  /** Milliseconds clock (tests). */
  now?: () => number;
}

/**
 * `check` run at most once per `ttlMs`, however often readiness is probed: a probe within the
 * interval gets the last result (resolve or the same error), probes arriving while a run is in
 * flight share it. So a probe never opens a broker or database connection of its own.
 */
export function cachedCheck(check: ReadinessCheck, options: CachedCheckOptions = {}): ReadinessCheck {
  const { ttlMs = 5_000, now = Date.now } = options;
  let last: { at: number; result: Promise<void> } | undefined;
  return () => {
    const at = now();
    if (!last || at - last.at >= ttlMs) {
      const result = Promise.resolve().then(check);
      result.catch(() => undefined);
      last = { at, result };
    }
    return last.result;
  };
}
