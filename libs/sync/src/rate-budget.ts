import { BUDGET_PRIORITIES, priorityRank, type BudgetPriority } from './budget/priority';

export interface RateBudgetOptions {
  /** Requests allowed per period (RepCard: 100). */
  limit: number;
  periodMs: number;
  /**
   * Extra wait after a slot's period (default 150 ms): timers that fire a millisecond early, clock
   * steps, and what the fastest latency cannot tell apart, the time a request waited on this side
   * before it left (a busy event loop; 50 ms let one request in 300 into the previous window in the
   * rate benchmark, 150 ms left 107 ms to spare). Every 100 ms here costs a whole run 1% at
   * RepCard's 100 per 10 s (issue 14).
   */
  safetyMs?: number;
  now?: () => number;
}

/**
 * One shared request budget per API key, as a sliding window: at most `limit` requests in any
 * interval of `periodMs`, which keeps every fixed window of the server within its limit too. A slot
 * is held from the moment a request is sent until `periodMs` after the server counted it. When it
 * counted is not said, only that it was between the send and the response, at a delay that varies
 * with the request no more than the latency does; so a slot is released `periodMs` + `safetyMs`
 * after its response, less the fastest latency seen on this budget (ADR 0026): with a steady latency
 * a slot runs from its send, and only a request slower than the fastest holds its slot longer.
 * Holding every slot from the response instead cost a whole run its latency per period (300 ms per
 * 10 s: 3%, issue 14). `X-RateLimit-Remaining` lowers the budget when the server has
 * seen more requests than we did (another client on the same key); a 429 empties it for a period.
 * Requests waiting for a slot are served by priority class (budget/priority.ts: a webhook's re-fetch
 * before a manual sync before a scheduled one before a backfill before a completeness check), first
 * come first served within a class: a slot is handed to the waiter it frees, so a request arriving
 * later never overtakes one of a higher class that waits (ADR 0026).
 */
export class RateBudget {
  private readonly limit: number;
  private readonly periodMs: number;
  private readonly safetyMs: number;
  private readonly now: () => number;
  /** Release times of slots (ms), one per request sent in the current window; Infinity while in flight. */
  private slots: number[] = [];
  /** Requests waiting for a slot, in the order they are served (rank, then arrival). */
  private waiters: Waiter[] = [];
  private arrivals = 0;
  /** The fastest send-to-response time seen, ms (Infinity before the first response). */
  private fastestMs = Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RateBudgetOptions) {
    this.limit = options.limit;
    this.periodMs = options.periodMs;
    this.safetyMs = options.safetyMs ?? 150;
    this.now = options.now ?? Date.now;
  }

  /**
   * Waits for a slot, served by `priority` (default `manual`); returns a release function to call
   * when the response (or error) arrived, with the server's `X-RateLimit-Remaining` if it sent one.
   */
  async acquire(
    signal?: AbortSignal,
    priority: BudgetPriority = 'manual',
  ): Promise<(remainingHeader?: number) => void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.prune();
    if (this.waiters.length === 0 && this.slots.length < this.limit) this.slots.push(Infinity);
    else await this.enqueue(priorityRank(priority), signal);
    const sentAt = this.now();
    let released = false;
    return (remaining?: number) => {
      if (released) return;
      released = true;
      const idx = this.slots.indexOf(Infinity);
      const now = this.now();
      this.fastestMs = Math.min(this.fastestMs, Math.max(0, now - sentAt));
      // Never before the response (a slot in flight is held), never later than a period past it.
      const at = now + Math.max(0, this.periodMs + this.safetyMs - this.fastestMs);
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

  /** Requests waiting for a slot, per priority class. */
  waiting(): Partial<Record<BudgetPriority, number>> {
    const out: Partial<Record<BudgetPriority, number>> = {};
    for (const w of this.waiters) out[w.priority] = (out[w.priority] ?? 0) + 1;
    return out;
  }

  /** The budget's shape and what is free now (estimates: `expectedDurationMs`). */
  snapshot(): { limit: number; periodMs: number; available: number; waiting: number } {
    return {
      limit: this.limit,
      periodMs: this.periodMs,
      available: this.available(),
      waiting: this.waiters.length,
    };
  }

  private prune(): void {
    const t = this.now();
    if (this.slots.some((s) => s <= t)) this.slots = this.slots.filter((s) => s > t);
  }

  /** Queues a waiter behind every one of its rank or better; resolves once a slot was handed to it. */
  private enqueue(rank: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        rank,
        priority: priorityOf(rank),
        seq: this.arrivals++,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const at = this.waiters.findIndex((w) => w.rank > rank);
      if (at < 0) this.waiters.push(waiter);
      else this.waiters.splice(at, 0, waiter);
      this.schedule();
    });
  }

  /** Hands every free slot to the first waiters; arms a timer for the next slot to expire. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiters.length === 0) return;
    this.prune();
    while (this.waiters.length > 0 && this.slots.length < this.limit) {
      this.slots.push(Infinity);
      this.waiters.shift()!.grant();
    }
    if (this.waiters.length === 0) return;
    const next = Math.min(...this.slots.filter((s) => s !== Infinity));
    if (!Number.isFinite(next)) return; // all in flight: a release will reschedule
    this.timer = setTimeout(() => this.schedule(), Math.max(1, next - this.now()));
    this.timer.unref?.();
  }
}

interface Waiter {
  rank: number;
  priority: BudgetPriority;
  seq: number;
  grant(): void;
}

function priorityOf(rank: number): BudgetPriority {
  return BUDGET_PRIORITIES[rank] ?? 'manual';
}
