export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Until the current window ends, ms. */
  resetInMs: number;
}

/** A fixed-window budget per key: the window opens at the first request and lasts `periodMs`. */
export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { startMs: number; used: number }>();

  constructor(
    private readonly limit: number,
    private readonly periodMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  take(key: string): RateDecision {
    const now = this.clock();
    let window = this.windows.get(key);
    if (!window || now >= window.startMs + this.periodMs) {
      window = { startMs: now, used: 0 };
      this.windows.set(key, window);
    }
    const resetInMs = window.startMs + this.periodMs - now;
    if (window.used >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetInMs };
    window.used++;
    return { allowed: true, limit: this.limit, remaining: this.limit - window.used, resetInMs };
  }

  /** The state without spending budget. */
  peek(key: string): RateDecision {
    const now = this.clock();
    const window = this.windows.get(key);
    if (!window || now >= window.startMs + this.periodMs) {
      return { allowed: true, limit: this.limit, remaining: this.limit, resetInMs: this.periodMs };
    }
    const remaining = Math.max(0, this.limit - window.used);
    return {
      allowed: remaining > 0,
      limit: this.limit,
      remaining,
      resetInMs: window.startMs + this.periodMs - now,
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
