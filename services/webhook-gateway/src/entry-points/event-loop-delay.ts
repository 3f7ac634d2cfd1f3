export interface EventLoopDelay {
  /** The event loop's recent delay, ms: the worst of the last few ticks (0 when idle). */
  recentMs(): number;
  stop(): void;
}

/**
 * The event loop's delay, from how late a `tickMs` timer fires (what a request arriving now waits
 * before it is even parsed): the admission control's measure of a saturated CPU. The worst of the
 * last `ticks` ticks, so one slow tick counts for about `ticks × tickMs`.
 */
export function watchEventLoopDelay(tickMs = 20, ticks = 5): EventLoopDelay {
  const recent: number[] = [];
  let expected = performance.now() + tickMs;
  const timer = setInterval(() => {
    const now = performance.now();
    recent.push(Math.max(0, now - expected));
    if (recent.length > ticks) recent.shift();
    expected = now + tickMs;
  }, tickMs);
  timer.unref();
  return {
    recentMs: () => {
      // A loop blocked right now has not run the timer yet: the tick overdue counts as well.
      const overdue = Math.max(0, performance.now() - expected);
      return Math.max(overdue, ...recent);
    },
    stop: () => clearInterval(timer),
  };
}
