/**
 * Group commit over a pool of committers (one Kafka transactional producer each): deliveries waiting
 * when a committer is free share its next transaction (up to `maxCallers`), and each caller resolves
 * only once the transaction holding its records committed (or rejects with its error). With one
 * committer a slow transaction holds every delivery behind it; with several, the next group starts
 * on a free one, so throughput is not capped by one transaction's latency, and a delivery waits for
 * about one transaction instead of one and a half. A failed transaction fails its group only. With
 * `minIntervalMs`, two transactions on one committer start at least that far apart (unless a full
 * group waits): the deliveries arriving meanwhile join the next.
 *
 * Order across groups is not kept (two groups commit in parallel): the read model does not depend
 * on it (a webhook observation is versioned by its own time or its receipt, never by its offset).
 * Pure: the committers are given.
 */
export interface GroupCommitPoolOptions {
  /** The most callers in one transaction (default 500). */
  maxCallers?: number;
  /**
   * The least time between two transactions' starts on one committer (default 0). A delivery arriving
   * after a quiet spell starts its transaction at once; under load, deliveries wait up to this long and
   * share fewer, larger transactions (each costs milliseconds of CPU whatever it holds).
   */
  minIntervalMs?: number;
  /** The clock (tests). */
  now?: () => number;
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
  { maxCallers = 500, minIntervalMs = 0, now = Date.now }: GroupCommitPoolOptions = {},
): GroupCommitPool<R> {
  if (committers.length === 0) throw new Error('groupCommitPool needs at least one committer');
  const idle = [...committers];
  const lastStart = new Map<(records: R[]) => Promise<void>, number>();
  let waiting: Caller<R>[] = [];
  let committing = 0;
  let scheduled = false;
  let timer: NodeJS.Timeout | undefined;

  function startGroups(): void {
    while (waiting.length > 0 && idle.length > 0) {
      // The idle committer whose last transaction started longest ago.
      let at = 0;
      for (let i = 1; i < idle.length; i++) {
        if ((lastStart.get(idle[i]!) ?? -Infinity) < (lastStart.get(idle[at]!) ?? -Infinity)) at = i;
      }
      const commit = idle[at]!;
      const wait = (lastStart.get(commit) ?? -Infinity) + minIntervalMs - now();
      if (wait > 0 && waiting.length < maxCallers) {
        timer ??= setTimeout(() => {
          timer = undefined;
          startGroups();
        }, Math.ceil(wait));
        return;
      }
      idle.splice(at, 1);
      lastStart.set(commit, now());
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
