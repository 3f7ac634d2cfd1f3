import { sleep } from '@tributary/core';
import { exact, type Tally } from './check/tally';

/**
 * Polls `check` until the read model is exact or `timeoutMs` passes; returns the last tally and, when
 * exact, how long after `since` (the fault's end) it became so.
 */
export async function untilExact(
  check: () => Promise<Tally>,
  { since, timeoutMs, intervalMs = 1000 }: { since: number; timeoutMs: number; intervalMs?: number },
): Promise<{ tally: Tally; recoverMs: number | undefined }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let tally: Tally;
    try {
      tally = await check();
    } catch (err) {
      tally = {
        checked: 0,
        lost: 0,
        doubled: 0,
        differs: 0,
        samples: [`check failed: ${(err as Error).message}`],
      };
      if (Date.now() > deadline) return { tally: { ...tally, lost: Number.NaN }, recoverMs: undefined };
      await sleep(intervalMs);
      continue;
    }
    if (exact(tally)) return { tally, recoverMs: Date.now() - since };
    if (Date.now() > deadline) return { tally, recoverMs: undefined };
    await sleep(intervalMs);
  }
}

/** A random whole number of ms in [lo, hi). */
export const between = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo));
