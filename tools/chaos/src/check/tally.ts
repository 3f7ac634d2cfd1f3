/** What a check of a read model against its source found. */
export interface Tally {
  /** Source records (and accepted deliveries) looked for. */
  checked: number;
  /** In the source, not in the read model. */
  lost: number;
  /** Stored twice, stored without being in the source, or counted twice in a sync log. */
  doubled: number;
  /** Stored, but not as the source has it (yet). */
  differs: number;
  samples: string[];
}

export const emptyTally = (): Tally => ({ checked: 0, lost: 0, doubled: 0, differs: 0, samples: [] });

export function addTallies(...tallies: Tally[]): Tally {
  const sum = emptyTally();
  for (const t of tallies) {
    sum.checked += t.checked;
    sum.lost += t.lost;
    sum.doubled += t.doubled;
    sum.differs += t.differs;
    sum.samples.push(...t.samples.slice(0, Math.max(0, 6 - sum.samples.length)));
  }
  return sum;
}

export const exact = (t: Tally): boolean => t.lost === 0 && t.doubled === 0 && t.differs === 0;

export function describeTally(t: Tally): string {
  return `checked ${t.checked}, lost ${t.lost}, doubled ${t.doubled}, differing ${t.differs}${t.samples.length ? `; e.g. ${t.samples.join('; ')}` : ''}`;
}
