import { TributaryError } from '@tributary/core';

/**
 * How many dead letters a consumer accepts before it stops instead (arroyo's `DlqLimit`): after a
 * bad deploy every record fails, and draining a whole topic into its DLQ is worse than stopping.
 * Counted per topic-partition, over the consumer's lifetime.
 */
export interface DlqPolicy {
  /** More dead letters in a row than this stops the consumer (default 50; 0: the first one stops it). */
  maxConsecutiveFailures?: number;
  /** Stop when, among the last `window` records, the share of dead letters exceeds `ratio` (0..1). */
  maxRatio?: { ratio: number; window: number };
}

export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 50;

export interface DlqLimitBreach {
  reason: 'consecutive' | 'ratio';
  consecutiveFailures: number;
  failuresInWindow: number;
  window: number;
  limit: number;
}

/** The consumer stopped: dead letters crossed the DlqPolicy. Nothing of the batch that crossed was committed. */
export class DlqLimitExceededError extends TributaryError {
  constructor(
    readonly breach: DlqLimitBreach,
    where: { topic: string; partition: number; groupId: string; offset?: string },
  ) {
    const what =
      breach.reason === 'consecutive'
        ? `${breach.consecutiveFailures} dead letters in a row (limit ${breach.limit})`
        : `${breach.failuresInWindow} dead letters in the last ${breach.window} records (limit ${breach.limit})`;
    super(
      'DLQ_LIMIT_EXCEEDED',
      `${where.topic}[${where.partition}] group ${where.groupId}: ${what}: consumer stopped`,
      {
        retriable: false,
        details: { ...where, ...breach },
      },
    );
  }
}

/** Outcome counting of one partition. Mutable, with `clone()` so a batch can be tried first. */
export class DlqLimit {
  private consecutive = 0;
  /** The last `window` outcomes, true = dead letter, as a ring. */
  private readonly ring: boolean[] = [];
  private next = 0;
  private failuresInRing = 0;
  private readonly maxConsecutive: number;
  private readonly ratio?: { ratio: number; window: number };

  constructor(policy: DlqPolicy = {}) {
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
  }

  /** Records one record's outcome; returns the breach when this outcome crosses the limit. */
  record(deadLettered: boolean): DlqLimitBreach | undefined {
    this.consecutive = deadLettered ? this.consecutive + 1 : 0;
    if (this.ratio) {
      const { window } = this.ratio;
      if (this.ring.length < window) this.ring.push(deadLettered);
      else {
        if (this.ring[this.next]) this.failuresInRing -= 1;
        this.ring[this.next] = deadLettered;
        this.next = (this.next + 1) % window;
      }
      if (deadLettered) this.failuresInRing += 1;
    }
    if (!deadLettered) return undefined;
    if (this.consecutive > this.maxConsecutive) return this.breach('consecutive', this.maxConsecutive);
    // The ratio is judged on a full window only: one failure among the first records is no trend.
    if (
      this.ratio &&
      this.ring.length === this.ratio.window &&
      this.failuresInRing / this.ratio.window > this.ratio.ratio
    ) {
      return this.breach('ratio', this.ratio.ratio);
    }
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
    Object.assign(copy, this, { ring: [...this.ring] });
    return copy;
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  private breach(reason: DlqLimitBreach['reason'], limit: number): DlqLimitBreach {
    return {
      reason,
      consecutiveFailures: this.consecutive,
      failuresInWindow: this.failuresInRing,
      window: this.ratio?.window ?? 0,
      limit,
    };
  }
}
