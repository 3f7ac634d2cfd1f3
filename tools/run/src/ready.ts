import { sleep } from '@tributary/core';

export interface ReadyTarget {
  name: string;
  /** Its readiness URL (`/readyz`). */
  readyUrl: string;
}

export interface WaitForReadyOptions {
  /** Give up after this long and say who is not ready (default 180 s: five services on two cores). */
  timeoutMs?: number;
  intervalMs?: number;
  /** Stop waiting (Ctrl-C during start-up). */
  signal?: AbortSignal;
  fetch?: (url: string, init: { signal: AbortSignal }) => Promise<{ status: number }>;
}

/** Polls every target's readiness URL until each answered 200 once; resolves with who is ready. */
export async function waitForReady(
  targets: readonly ReadyTarget[],
  options: WaitForReadyOptions = {},
): Promise<Map<string, boolean>> {
  const { timeoutMs = 180_000, intervalMs = 500, signal } = options;
  const get = options.fetch ?? ((url, init) => fetch(url, init));
  const ready = new Map(targets.map((t) => [t.name, false]));
  const deadline = Date.now() + timeoutMs;
  while (!signal?.aborted && Date.now() < deadline && [...ready.values()].includes(false)) {
    await Promise.all(
      targets
        .filter((t) => !ready.get(t.name))
        .map(async (t) => {
          try {
            const res = await get(t.readyUrl, { signal: AbortSignal.timeout(2000) });
            if (res.status === 200) ready.set(t.name, true);
          } catch {
            // not listening yet
          }
        }),
    );
    if ([...ready.values()].includes(false)) await sleep(intervalMs);
  }
  return ready;
}
