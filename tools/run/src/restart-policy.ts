/**
 * When `npm start` restarts a crashed service (pure: no process, no timer). A child that exits
 * unexpectedly is restarted after 1 s, 2 s, 4 s ... (capped), at most `maxRestarts` times within
 * `windowMs`; the crash after those gives up and everything stops.
 */
export interface RestartPolicy {
  /** Restarts within the window (default 5); the next crash gives up. */
  maxRestarts: number;
  windowMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 5 * 60_000,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
};

export type RestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number; of: number }
  | { action: 'give-up'; crashes: number; windowMs: number };

/** Crash times of one child, and what to do about the latest. */
export class CrashHistory {
  private crashes: number[] = [];

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** Records a crash at `now` (ms) and decides. */
  crashed(now: number): RestartDecision {
    const { maxRestarts, windowMs, initialDelayMs, maxDelayMs } = this.policy;
    this.crashes = [...this.crashes.filter((t) => now - t < windowMs), now];
    const attempt = this.crashes.length;
    if (attempt > maxRestarts) return { action: 'give-up', crashes: attempt, windowMs };
    return {
      action: 'restart',
      delayMs: Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1)),
      attempt,
      of: maxRestarts,
    };
  }
}

/** "projector exited with code 1; restarting in 2 s (attempt 2/5)". */
export function restartLine(
  name: string,
  code: number | null,
  signal: string | null,
  decision: RestartDecision,
): string {
  const how = code !== null ? `with code ${code}` : `on ${signal ?? 'an unknown signal'}`;
  if (decision.action === 'restart') {
    return `${name} exited ${how}; restarting in ${formatSeconds(decision.delayMs)} (attempt ${decision.attempt}/${decision.of})`;
  }
  return `${name} exited ${how}: ${decision.crashes} crashes within ${formatSeconds(decision.windowMs)}; giving up and stopping everything`;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}
