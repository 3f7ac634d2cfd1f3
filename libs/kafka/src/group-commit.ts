export interface GroupCommitOptions {
  /** The most callers in one group (default 500). */
  maxCallers?: number;
  /**
   * How long the first caller of an idle committer waits for company before its group starts, ms
   * (default 0: at once). Callers that arrive together but not in the same tick (the batches of one
   * Kafka fetch, each after its own offset lookup) then share one transaction instead of two.
   */
  lingerMs?: number;
}

/**
 * Group commit: callers that arrive while a transaction is in flight are published together in the
 * next one, and each caller resolves when the transaction holding its records commits (or rejects
 * with its error). One transaction per caller would cap throughput at the inverse of the
 * transaction latency; this keeps every caller acknowledged only after its commit, at any rate. A
 * record that fails fails its whole group (the records are validated before).
 */
export function groupCommit<R>(
  publish: (records: R[]) => Promise<void>,
  { maxCallers = 500, lingerMs = 0 }: GroupCommitOptions = {},
): (records: R[]) => Promise<void> {
  let pending: { records: R[]; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let running = false;

  async function drain(): Promise<void> {
    if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
    while (pending.length > 0) {
      const group = pending.slice(0, maxCallers);
      pending = pending.slice(group.length);
      try {
        await publish(group.flatMap((g) => g.records));
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    running = false;
  }

  return (records) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ records, resolve, reject });
      if (!running) {
        running = true;
        void drain();
      }
    });
}
