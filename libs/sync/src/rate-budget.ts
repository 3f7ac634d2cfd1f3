export interface RateBudgetOptions {
  /** Requests allowed per period (RepCard: 100). */
  limit: number;
  periodMs: number;
  /** Extra wait after a slot's period, against clock and latency skew. */
  safetyMs?: number;
  now?: () => number;
}

/**
 * One shared request budget per API key, as a sliding window: at most `limit` requests in any
 * interval of `periodMs`, which keeps every fixed window of the server within its limit too. A slot
 * is held from the moment a request is sent until `periodMs` after its response arrived (the server
 * counted it somewhere in between). `X-RateLimit-Remaining` lowers the budget when the server has
 * seen more requests than we did (another client on the same key); a 429 empties it for a period.
 */
export class RateBudget {
  private readonly limit: number;
  private readonly periodMs: number;
  private readonly safetyMs: number;
  private readonly now: () => number;
  /** Release times of slots (ms), one per request sent in the current window; Infinity while in flight. */
  private slots: number[] = [];
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RateBudgetOptions) {
    this.limit = options.limit;
    this.periodMs = options.periodMs;
    this.safetyMs = options.safetyMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** Waits for a slot; returns a release function to call when the response (or error) arrived. */
  async acquire(signal?: AbortSignal): Promise<(remainingHeader?: number) => void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      this.prune();
      if (this.slots.length < this.limit) break;
      await this.waitForRelease(signal);
    }
    this.slots.push(Infinity);
    let released = false;
    return (remaining?: number) => {
      if (released) return;
      released = true;
      const idx = this.slots.indexOf(Infinity);
      const at = this.now() + this.periodMs + this.safetyMs;
      if (idx >= 0) this.slots[idx] = at;
      else this.slots.push(at);
      if (remaining !== undefined) this.observeRemaining(remaining);
      this.schedule();
    };
  }

  /** The server says `remaining` requests are left: never believe we have more than that. */
  observeRemaining(remaining: number): void {
    if (!Number.isFinite(remaining) || remaining < 0) return;
    this.prune();
    const ours = this.limit - this.slots.length;
    const phantom = ours - remaining;
    const at = this.now() + this.periodMs + this.safetyMs;
    for (let i = 0; i < phantom; i++) this.slots.push(at);
    this.schedule();
  }

  /** A 429: the window is spent whatever we counted. */
  exhausted(): void {
    this.observeRemaining(0);
  }

  /** Requests that may start right now. */
  available(): number {
    this.prune();
    return Math.max(0, this.limit - this.slots.length);
  }

  private prune(): void {
    const t = this.now();
    if (this.slots.some((s) => s <= t)) this.slots = this.slots.filter((s) => s > t);
  }

  private waitForRelease(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.prune();
    if (this.slots.length < this.limit) {
      this.waiters = [];
      for (const w of waiters) w();
      return;
    }
    const next = Math.min(...this.slots.filter((s) => s !== Infinity));
    if (!Number.isFinite(next)) return; // all in flight: a release will reschedule
    this.timer = setTimeout(() => this.schedule(), Math.max(1, next - this.now()));
    this.timer.unref?.();
  }
}
