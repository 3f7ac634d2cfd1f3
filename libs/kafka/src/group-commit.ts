export interface GroupCommitOptions<R = unknown> {
  /** The most callers in one group (default 500). */
  maxCallers?: number;
  /**
   * How long the first caller of an idle committer waits for company before its group starts, ms
   * (default 0: at once). Callers that arrive together but not in the same tick (the batches of one
   * Kafka fetch, each after its own offset lookup) then share one transaction instead of two.
   */
  lingerMs?: number;
  /**
   * The most groups in flight at once (default 1: one after the other). Only solo callers (below)
   * overlap; a shared group always runs alone.
   */
  concurrency?: number;
  /**
   * A caller's lane when it is worth a group of its own (a large batch), else undefined (it shares
   * a group with the others waiting). Solo groups of ONE lane may be in flight together, up to
   * `concurrency`; groups of different lanes, or a shared group, never overlap. The caller's
   * publisher decides what may run side by side: the projector's lane is the topic, whose partitions
   * write rows of different keys (ADR 0023, addendum 3).
   */
  soloLane?: (records: readonly R[]) => string | undefined;
}

interface Caller<R> {
  records: R[];
  /** Its lane when it goes alone, else undefined. */
  lane: string | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: callers that arrive while a transaction is in flight are published together in the
 * next one, and each caller resolves when the transaction holding its records commits (or rejects
 * with its error). One transaction per caller would cap throughput at the inverse of the
 * transaction latency; this keeps every caller acknowledged only after its commit, at any rate. A
 * record that fails fails its whole group (the records are validated before).
 *
 * With `concurrency` above 1 and a `soloLane`, large callers of one lane each get their own group and
 * those groups run side by side, so the publisher's CPU work on one (decoding, planning) overlaps
 * the database's on another. Callers start in arrival order: one that cannot start yet (another lane
 * is in flight, or it shares and something is in flight) holds those behind it.
 */
export function groupCommit<R>(
  publish: (records: R[]) => Promise<void>,
  { maxCallers = 500, lingerMs = 0, concurrency = 1, soloLane }: GroupCommitOptions<R> = {},
): (records: R[]) => Promise<void> {
  let pending: Caller<R>[] = [];
  /** Groups in flight: their lane (undefined for a shared group). */
  const inFlight = new Set<{ lane: string | undefined }>();
  /** A shared group is lingering for company: nothing else starts meanwhile. */
  let lingering = false;

  function canStart(caller: Caller<R>): boolean {
    if (lingering || inFlight.size >= Math.max(1, concurrency)) return false;
    if (inFlight.size === 0) return true;
    if (caller.lane === undefined) return false;
    for (const g of inFlight) if (g.lane !== caller.lane) return false;
    return true;
  }

  async function run(group: Caller<R>[], slot: { lane: string | undefined }): Promise<void> {
    try {
      await publish(group.flatMap((g) => g.records));
      for (const g of group) g.resolve();
    } catch (err) {
      for (const g of group) g.reject(err);
    } finally {
      inFlight.delete(slot);
      pump(false);
    }
  }

  /** The shared callers waiting (the head is one), up to maxCallers; solo ones stay. */
  function takeShared(): Caller<R>[] {
    const group: Caller<R>[] = [];
    const rest: Caller<R>[] = [];
    for (const c of pending) {
      if (group.length < maxCallers && c.lane === undefined) group.push(c);
      else rest.push(c);
    }
    pending = rest;
    return group;
  }

  /** Starts what may start; `arrived`: called for a new caller (an idle committer lingers then). */
  function pump(arrived: boolean): void {
    while (pending.length > 0 && canStart(pending[0]!)) {
      const head = pending[0]!;
      if (head.lane !== undefined) {
        pending.shift();
        const slot = { lane: head.lane };
        inFlight.add(slot);
        void run([head], slot);
        continue;
      }
      const slot = { lane: undefined };
      inFlight.add(slot);
      if (lingerMs > 0 && arrived) {
        lingering = true;
        setTimeout(() => {
          lingering = false;
          void run(takeShared(), slot);
        }, lingerMs);
        return;
      }
      void run(takeShared(), slot);
    }
  }

  return (records) =>
    new Promise<void>((resolve, reject) => {
      const lane = concurrency > 1 && soloLane ? soloLane(records) : undefined;
      pending.push({ records, lane, resolve, reject });
      pump(true);
    });
}
