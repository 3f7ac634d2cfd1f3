/**
 * Group commit over a pool of committers (one Kafka transactional producer each): deliveries waiting
 * when a committer is free share its next transaction (up to `maxCallers`), and each caller resolves
 * only once the transaction holding its records committed (or rejects with its error). With one
 * committer a slow transaction holds every delivery behind it; with several, the next group starts
 * on a free one, so throughput is not capped by one transaction's latency, and a delivery waits for
 * about one transaction instead of one and a half. A failed transaction fails its group only.
 *
 * Order across groups is not kept (two groups commit in parallel): the read model does not depend
 * on it (a webhook observation is versioned by its own time or its receipt, never by its offset).
 * Pure: the committers are given.
 */
export interface GroupCommitPoolOptions {
  /** The most callers in one transaction (default 500). */
  maxCallers?: number;
}

export interface GroupCommitPool<R> {
  /** Publishes `records` in some transaction; resolves once it committed. */
  publish(records: R[]): Promise<void>;
  /** Callers waiting for a committer, and those in transactions not yet committed. */
  outstanding(): number;
}

interface Caller<R> {
  records: R[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function groupCommitPool<R>(
  committers: readonly ((records: R[]) => Promise<void>)[],
  { maxCallers = 500 }: GroupCommitPoolOptions = {},
): GroupCommitPool<R> {
  if (committers.length === 0) throw new Error('groupCommitPool needs at least one committer');
  const idle = [...committers];
  let waiting: Caller<R>[] = [];
  let committing = 0;
  let scheduled = false;

  function startGroups(): void {
    while (waiting.length > 0 && idle.length > 0) {
      const commit = idle.pop()!;
      const group = waiting.slice(0, maxCallers);
      waiting = waiting.slice(group.length);
      committing += group.length;
      void run(commit, group);
    }
  }

  async function run(commit: (records: R[]) => Promise<void>, group: Caller<R>[]): Promise<void> {
    try {
      await commit(group.flatMap((c) => c.records));
      for (const c of group) c.resolve();
    } catch (err) {
      for (const c of group) c.reject(err);
    } finally {
      committing -= group.length;
      idle.push(commit);
      startGroups();
    }
  }

  return {
    publish: (records) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ records, resolve, reject });
        // Callers arriving in the same turn of the event loop (one claim batch answered, one read of
        // the sockets) share one group: it starts once they all had their turn.
        if (!scheduled && idle.length > 0) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            startGroups();
          });
        }
      }),
    outstanding: () => waiting.length + committing,
  };
}
