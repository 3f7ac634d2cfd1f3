/**
 * What mutations changed, kept small: per changed practice its version, updatedAt and (if a mutation
 * activated it) activatedAt; the number of inserted practices; and the inserted orders (practice and
 * time each). Plus the simulated clock mutations are stamped with.
 */

export interface PracticeChange {
  version: number;
  updatedAtMs: number;
  /** Set when a mutation activated the practice. */
  activatedAtMs?: number;
}

export class Overlay {
  insertedPractices = 0;
  private readonly practices = new Map<number, PracticeChange>();
  private readonly orderPractice: number[] = [];
  private readonly orderAt: number[] = [];
  private readonly ordersByPractice = new Map<number, number[]>();
  private readonly createdWallMs = Date.now();
  /** Starts at the data set's now: the first mutation is strictly after it, even in the same millisecond. */
  private lastMutationMs: number;
  private mutationSerial = 0;

  constructor(private readonly nowMs: number) {
    this.lastMutationMs = nowMs;
  }

  practice(p: number): PracticeChange | undefined {
    return this.practices.get(p);
  }

  /** Indexes of practices changed or inserted by mutations, ascending. */
  changedPractices(): number[] {
    return [...this.practices.keys()].sort((a, b) => a - b);
  }

  touch(p: number, atMs: number, change: { bumpVersion?: boolean; activatedAtMs?: number } = {}): void {
    const current = this.practices.get(p);
    this.practices.set(p, {
      ...current,
      version: (current?.version ?? 0) + (change.bumpVersion ? 1 : 0),
      updatedAtMs: atMs,
      ...(change.activatedAtMs !== undefined && { activatedAtMs: change.activatedAtMs }),
    });
  }

  get insertedOrders(): number {
    return this.orderPractice.length;
  }

  /** Records inserted order number `k` (its global index is base orders + k). */
  addOrder(globalIndex: number, p: number, atMs: number): void {
    this.orderPractice.push(p);
    this.orderAt.push(atMs);
    const list = this.ordersByPractice.get(p) ?? [];
    list.push(globalIndex);
    this.ordersByPractice.set(p, list);
  }

  orderPracticeAt(k: number): number {
    return this.orderPractice[k] as number;
  }

  orderTimeAt(k: number): number {
    return this.orderAt[k] as number;
  }

  /** Global indexes of the orders inserted for practice p, ascending. */
  ordersOf(p: number): readonly number[] {
    return this.ordersByPractice.get(p) ?? [];
  }

  /** Simulated clock: the data set's now plus wall time elapsed, strictly increasing and after now. */
  nextMutationMs(): number {
    const ms = Math.max(this.nowMs + (Date.now() - this.createdWallMs), this.lastMutationMs + 1);
    this.lastMutationMs = ms;
    return ms;
  }

  noteMutationAt(ms: number): void {
    this.lastMutationMs = Math.max(this.lastMutationMs, ms);
  }

  /** 0, 1, 2, ...: one per applied mutation, seeds its random choices. */
  nextMutationSerial(): number {
    return this.mutationSerial++;
  }
}
