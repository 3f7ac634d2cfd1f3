/**
 * Polls `probe` until it returns true. Unlike testkit's waitFor, an error thrown by `probe` ends
 * the wait at once (a writer that failed, a process that exited): a probe that may fail for a
 * while catches that itself.
 */
export async function pollUntil(
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs: number; description: string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${opts.timeoutMs / 1000} s waiting for ${opts.description}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}
