import { TributaryError } from '@tributary/core';

/**
 * How many dead letters a consumer accepts before it stops instead (arroyo's `DlqLimit`): after a
 * bad deploy every record fails, and draining a whole topic into its DLQ is worse than stopping.
 * Counted per topic-partition; the counts live in a DlqLimitStore (`dlq-limit-store.ts`), so a
 * persistent store makes them hold across restarts.
 */
export interface DlqPolicy {
  /** More dead letters in a row than this stops the consumer (default 50; 0: the first one stops it). */
  maxConsecutiveFailures?: number;
  /** Stop when, among the last `window` records, the share of dead letters exceeds `ratio` (0..1). */
  maxRatio?: { ratio: number; window: number };
}

export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 50;

/**
 * The window is kept as at most this many buckets of records (exact for windows up to this size;
 * beyond, it slides a bucket at a time), so its stored state stays small whatever the window.
 */
export const MAX_WINDOW_BUCKETS = 50;

/** The counts of one partition, as a store keeps them (plain data, JSON-safe). */
export interface DlqLimitState {
  /** Dead letters in a row, up to the last record counted. */
  consecutive: number;
  /** The sliding window, oldest first: records counted and dead-lettered per bucket. */
  buckets: { seen: number; dead: number }[];
  /** Records per bucket when the state was made (a different policy regroups the window). */
  bucketSize: number;
  /** True once a whole window was counted: the ratio is judged from then on. */
  full: boolean;
}

export interface DlqLimitBreach {
  reason: 'consecutive' | 'ratio';
  consecutiveFailures: number;
  failuresInWindow: number;
  /** Records counted in the window (up to `window`). */
  recordsInWindow: number;
  window: number;
  /** The limit crossed: a count (consecutive) or a share (ratio). */
  limit: number;
}

/** What an operator runs to let a consumer stopped by its DLQ limit go on. */
export function resetLimitCommand(groupId: string): string {
  return `tributary dlq reset-limit --group ${groupId}`;
}

/** One line that says why the consumer stopped: counts, ratio, window, and how to clear it. */
export function describeBreach(
  breach: DlqLimitBreach,
  where: { topic: string; partition: number; groupId: string },
): string {
  const { consecutiveFailures, failuresInWindow, recordsInWindow, window } = breach;
  const ratio = recordsInWindow > 0 ? (failuresInWindow / recordsInWindow).toFixed(2) : '0.00';
  const what =
    breach.reason === 'consecutive'
      ? `${consecutiveFailures} dead letters in a row (limit ${breach.limit})`
      : `ratio ${ratio} of dead letters over the window (limit ${breach.limit})`;
  const counts =
    window > 0
      ? `; ${failuresInWindow} of the last ${recordsInWindow} records dead-lettered (window ${window})`
      : '';
  return (
    `DLQ limit tripped: ${where.topic}[${where.partition}] group ${where.groupId}: ${what}${counts}: ` +
    `consumer stopped until \`${resetLimitCommand(where.groupId)}\``
  );
}

/** The consumer stopped: dead letters crossed the DlqPolicy. Nothing of the batch that crossed was committed. */
export class DlqLimitExceededError extends TributaryError {
  constructor(
    readonly breach: DlqLimitBreach,
    readonly where: { topic: string; partition: number; groupId: string; offset?: string },
  ) {
    super('DLQ_LIMIT_EXCEEDED', describeBreach(breach, where), {
      retriable: false,
      details: { ...where, ...breach },
    });
  }
}

/** Outcome counting of one partition. Mutable, with `clone()` so a batch can be tried first. */
export class DlqLimit {
  private consecutive = 0;
  private buckets: { seen: number; dead: number }[] = [];
  private full = false;
  private readonly maxConsecutive: number;
  private readonly ratio?: { ratio: number; window: number };
  private readonly bucketSize: number;
  private readonly bucketCount: number;

  constructor(policy: DlqPolicy = {}, state?: DlqLimitState) {
    this.maxConsecutive = policy.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
    if (policy.maxRatio) {
      const { ratio, window } = policy.maxRatio;
      if (!(ratio >= 0 && ratio <= 1) || !Number.isInteger(window) || window < 1) {
        throw new TributaryError(
          'DLQ_POLICY_INVALID',
          `maxRatio needs 0 <= ratio <= 1 and an integer window >= 1`,
          {
            details: { ratio, window },
          },
        );
      }
      this.ratio = { ratio, window };
    }
    const window = this.ratio?.window ?? 1;
    this.bucketSize = Math.ceil(window / MAX_WINDOW_BUCKETS);
    this.bucketCount = Math.ceil(window / this.bucketSize);
    if (state) this.restore(state);
  }

  /** Records one record's outcome; returns the breach when this outcome crosses the limit. */
  record(deadLettered: boolean): DlqLimitBreach | undefined {
    this.consecutive = deadLettered ? this.consecutive + 1 : 0;
    if (this.ratio) this.slide(deadLettered);
    if (!deadLettered) return undefined;
    if (this.consecutive > this.maxConsecutive) return this.breach('consecutive', this.maxConsecutive);
    // The ratio is judged on a full window only: one failure among the first records is no trend.
    const { seen, dead } = this.window();
    if (this.ratio && this.full && dead / seen > this.ratio.ratio)
      return this.breach('ratio', this.ratio.ratio);
    return undefined;
  }

  /** Records outcomes in order; stops at (and returns) the first breach. */
  recordAll(outcomes: Iterable<boolean>): DlqLimitBreach | undefined {
    for (const deadLettered of outcomes) {
      const breach = this.record(deadLettered);
      if (breach) return breach;
    }
    return undefined;
  }

  clone(): DlqLimit {
    const copy = Object.create(DlqLimit.prototype) as DlqLimit;
    Object.assign(copy, this, { buckets: this.buckets.map((b) => ({ ...b })) });
    return copy;
  }

  /** The counts as a store keeps them. */
  state(): DlqLimitState {
    return {
      consecutive: this.consecutive,
      buckets: this.buckets.map((b) => ({ ...b })),
      bucketSize: this.bucketSize,
      full: this.full,
    };
  }

  /** True when nothing counts against the limit (no dead letter in the window, none in a row). */
  get clean(): boolean {
    return this.consecutive === 0 && this.window().dead === 0;
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  private slide(deadLettered: boolean): void {
    let last = this.buckets[this.buckets.length - 1];
    if (!last || last.seen >= this.bucketSize) {
      last = { seen: 0, dead: 0 };
      this.buckets.push(last);
      if (this.buckets.length > this.bucketCount) this.buckets.shift();
    }
    last.seen += 1;
    if (deadLettered) last.dead += 1;
    if (!this.full && this.window().seen >= (this.ratio?.window ?? Number.POSITIVE_INFINITY))
      this.full = true;
  }

  private window(): { seen: number; dead: number } {
    let seen = 0;
    let dead = 0;
    for (const b of this.buckets) {
      seen += b.seen;
      dead += b.dead;
    }
    return { seen, dead };
  }

  /** Takes stored counts; counts made with another bucket size become one bucket, which slides out in time. */
  private restore(state: DlqLimitState): void {
    this.consecutive = state.consecutive;
    this.full = state.full;
    if (!this.ratio) return;
    if (state.bucketSize === this.bucketSize) {
      this.buckets = state.buckets.slice(-this.bucketCount).map((b) => ({ ...b }));
      return;
    }
    const seen = state.buckets.reduce((n, b) => n + b.seen, 0);
    const dead = state.buckets.reduce((n, b) => n + b.dead, 0);
    this.buckets = seen > 0 ? [{ seen, dead }] : [];
    this.full = state.full && seen >= this.ratio.window;
  }

  private breach(reason: DlqLimitBreach['reason'], limit: number): DlqLimitBreach {
    const { seen, dead } = this.window();
    return {
      reason,
      consecutiveFailures: this.consecutive,
      failuresInWindow: dead,
      recordsInWindow: seen,
      window: this.ratio?.window ?? 0,
      limit,
    };
  }
}
