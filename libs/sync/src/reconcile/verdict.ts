/** What a report row says of one entity in one window. */
export type Verdict = 'complete' | 'gap' | 'unknown';

export interface Comparison {
  verdict: Verdict;
  /** Records the source has that the read model lacks (gap only). */
  missing: number;
  note: string | null;
}

/**
 * The verdict of one row from the source's count and the read model's live rows in the same window.
 * Equal: complete. The source has more: a gap of the difference. No source count: unknown. The read
 * model has more: unknown too, since counts cannot tell a gap hidden behind rows deleted or moved to
 * another window at the source (the next complete full sync marks deletions) from none.
 */
export function compareCounts(source: number | null, readModel: number): Comparison {
  if (source === null) return { verdict: 'unknown', missing: 0, note: 'no source count' };
  if (source === readModel) return { verdict: 'complete', missing: 0, note: null };
  if (source > readModel) return { verdict: 'gap', missing: source - readModel, note: null };
  return {
    verdict: 'unknown',
    missing: 0,
    note: `read model has ${readModel - source} more (deleted or moved at the source?)`,
  };
}

/** The report's verdict: `gap` if any row is a gap, else `complete` (unknown rows do not fail it). */
export function overallVerdict(verdicts: readonly Verdict[]): 'complete' | 'gap' {
  return verdicts.includes('gap') ? 'gap' : 'complete';
}
