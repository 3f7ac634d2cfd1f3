/**
 * Group commit: callers that arrive while a transaction is in flight are published together in the
 * next one, and each caller resolves when the transaction holding its records commits (or rejects
 * with its error). One Kafka transaction per request would cap a webhook gateway at the inverse of
 * the transaction latency; this keeps every delivery acknowledged only after Kafka has it, at any
 * rate. A record that fails to encode fails its whole group (the records are validated before).
 */
export function groupCommit<R>(publish: (records: R[]) => Promise<void>, maxCallers = 500): (records: R[]) => Promise<void> {
  let pending: { records: R[]; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
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
      if (!running) void drain();
    });
}
