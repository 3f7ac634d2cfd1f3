/**
 * Whether a complete full sync of an entity may mark the rows it did not see deleted (ADR 0018).
 * Pure: the counts are read by the sweep (deletion-sweep.ts), the limit is configuration.
 */

/** The default share of an entity's live rows one run may mark deleted (PROJECTOR_DELETION_MAX_RATIO). */
export const DEFAULT_DELETION_MAX_RATIO = 0.05;

export interface SweepCounts {
  /** Rows not deleted before the sweep. */
  live: number;
  /** Of those, the rows the run did not see (last seen before it started, or never). */
  unseen: number;
  /** Records of the run the projector could not store (dead-lettered). */
  failed: number;
  /** The most a run may mark, as a share of `live` (0..1). */
  maxRatio: number;
}

export type SweepDecision = { mark: true; note: string | null } | { mark: false; note: string };

const percent = (r: number): string => `${(Math.round(r * 1000) / 10).toString()}%`;

/**
 * Mark the unseen rows, unless a record of the run failed (its row was not stamped as seen, so it
 * would be marked although the source still has it) or they are more than `maxRatio` of the live
 * rows (a source answering an empty or truncated list must not wipe the copy).
 */
export function decideSweep(c: SweepCounts): SweepDecision {
  if (c.failed > 0) {
    return {
      mark: false,
      note: `deletions not marked: ${c.failed} record(s) of this run could not be projected (see the DLQ), so their rows were not seen`,
    };
  }
  if (c.unseen === 0) return { mark: true, note: null };
  const ratio = c.live === 0 ? 1 : c.unseen / c.live;
  if (ratio > c.maxRatio) {
    return {
      mark: false,
      note:
        `deletions not marked: ${c.unseen} of ${c.live} rows (${percent(ratio)}) were not seen by this full sync, ` +
        `above the deletion guard of ${percent(c.maxRatio)} (PROJECTOR_DELETION_MAX_RATIO)`,
    };
  }
  return {
    mark: true,
    note: `${c.unseen} of ${c.live} rows (${percent(ratio)}) not seen by this full sync: marked deleted`,
  };
}
