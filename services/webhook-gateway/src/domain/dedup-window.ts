/**
 * The delivery ids accepted in the last `windowMs`, in memory, at most `maxEntries` of them (the
 * oldest are forgotten first). A Map keeps insertion order, which is acceptance order, so expired
 * and surplus entries are always at its front and evicting them costs O(1) per insert.
 *
 * This only spans one process's life: after a restart (or on another replica) a repeated delivery
 * is published again, and the projector absorbs it, since it deduplicates on the delivery id.
 * Pure: the clock (a monotonic one, in ms) is passed to every call.
 */
export interface DedupWindowOptions {
  windowMs: number;
  maxEntries: number;
}

export class DedupWindow {
  private readonly acceptedAt = new Map<string, number>();

  constructor(private readonly options: DedupWindowOptions) {}

  /** Whether `id` was accepted less than `windowMs` before `nowMs`. */
  has(id: string, nowMs: number): boolean {
    const at = this.acceptedAt.get(id);
    if (at === undefined) return false;
    if (nowMs - at < this.options.windowMs) return true;
    this.acceptedAt.delete(id);
    return false;
  }

  /** Records `id` as accepted at `nowMs`, then drops what expired or exceeds the bound. */
  remember(id: string, nowMs: number): void {
    this.acceptedAt.delete(id);
    this.acceptedAt.set(id, nowMs);
    for (const [oldest, at] of this.acceptedAt) {
      if (this.acceptedAt.size <= this.options.maxEntries && nowMs - at < this.options.windowMs) break;
      this.acceptedAt.delete(oldest);
    }
  }

  get size(): number {
    return this.acceptedAt.size;
  }
}
