import type { RepcardEntity } from './entities';
import type { ResolvedFaults } from './faults';
import { Rng, seed32 } from './random';

export interface PendingShift {
  entity: RepcardEntity;
  update: number[];
  insert: number;
}

const SERVED_SAMPLE = 10_000;

/**
 * Decides, request by request, which fault to inject. Random decisions come from a PRNG seeded
 * by the simulator seed and restarted by `set`, so a run with the same request order repeats.
 */
export class FaultController {
  private faults: ResolvedFaults = {};
  private rng: Rng;
  private burstSeen = 0;
  private stormSeen = 0;
  private shiftSeen = 0;
  private shiftDone = false;
  private served: number[] = [];

  constructor(private readonly seed: number) {
    this.rng = new Rng(seed32(seed) ^ 0x5eed);
  }

  set(faults: ResolvedFaults): void {
    this.faults = faults;
    this.rng = new Rng(seed32(this.seed) ^ 0x5eed);
    this.burstSeen = 0;
    this.stormSeen = 0;
    this.shiftSeen = 0;
    this.shiftDone = false;
    this.served = [];
  }

  get current(): ResolvedFaults {
    return this.faults;
  }

  /** Delay before answering, ms. */
  latencyMs(): number {
    const base = this.faults.latencyMs ?? 0;
    const jitter = this.faults.latencyJitterMs ?? 0;
    return base + (jitter > 0 ? this.rng.int(jitter + 1) : 0);
  }

  /** How long to hang before dropping the socket, or null to answer normally. */
  timeoutMs(): number | null {
    const rate = this.faults.timeoutRate ?? 0;
    if (rate <= 0 || !this.rng.chance(rate)) return null;
    return this.faults.timeoutMs ?? 30_000;
  }

  /** True when this request gets an injected 429 although the budget is not spent. */
  storm(): boolean {
    const storm = this.faults.rateLimit429Storm;
    if (!storm) return false;
    const n = this.stormSeen++ - (storm.after ?? 0);
    return n >= 0 && n < storm.count;
  }

  /** The 5xx status this request gets, or null. */
  burst(): 500 | 502 | 503 | null {
    const burst = this.faults.errorBurst;
    if (!burst) return null;
    const n = this.burstSeen++ - (burst.after ?? 0);
    if (n < 0) return null;
    const position = burst.every === undefined ? n : n % burst.every;
    return position < burst.count ? burst.status : null;
  }

  /**
   * Notes the records a list request served; returns the shift to apply when this was the
   * `afterRequests`-th list request for the shift's entity.
   */
  noteServed(entity: RepcardEntity, indices: readonly number[]): PendingShift | null {
    const shift = this.faults.shiftDuringSync;
    if (!shift || this.shiftDone || shift.entity !== entity) return null;
    for (const i of indices) if (this.served.length < SERVED_SAMPLE) this.served.push(i);
    if (++this.shiftSeen < shift.afterRequests) return null;
    this.shiftDone = true;
    const want = Math.min(shift.update ?? 1, this.served.length);
    const update: number[] = [];
    for (let k = 0; k < want; k++)
      update.push(this.served[Math.floor((k * this.served.length) / want)] as number);
    return { entity, update: [...new Set(update)], insert: shift.insert ?? 0 };
  }
}
