/**
 * Deduplication of deliveries across restarts and replicas: a delivery id is CLAIMED by the attempt
 * that publishes it, then marked ACCEPTED once its Kafka transaction committed, and remembered for
 * the dedup window. A claim whose attempt failed is RELEASED, so the sender's retry goes through; a
 * claim whose attempt vanished (a crashed replica) may be taken over after the claim timeout.
 *
 * `claim` answers, for this attempt:
 *  - `claimed`: no one accepted it within the window, nor holds it: publish it;
 *  - `accepted`: accepted within the window: a duplicate (200);
 *  - `pending`: another attempt (another replica) holds it now: answer 503 and let the sender retry.
 *
 * The PostgreSQL adapter is `data-access/pg-dedup-store.ts`; the in-memory one below has the same
 * rules, for unit tests (and pure code: the clock is passed in).
 */
export type ClaimOutcome = 'claimed' | 'accepted' | 'pending';

export interface DedupStore {
  claim(deliveryId: string): Promise<ClaimOutcome>;
  /** The claimed delivery's Kafka transaction committed. */
  accepted(deliveryId: string): Promise<void>;
  /** The claimed delivery was not published: forget the claim. */
  release(deliveryId: string): Promise<void>;
}

export interface DedupTimes {
  /** How long an accepted delivery id is remembered. */
  windowMs: number;
  /** How long a claim holds off other attempts before it may be taken over. */
  claimTimeoutMs: number;
}

type Entry = { state: 'pending' | 'accepted'; atMs: number; owner: string };

/** Whether an existing entry still stands against a new attempt at `nowMs`. */
export function entryStands(entry: Entry, nowMs: number, times: DedupTimes): boolean {
  const age = nowMs - entry.atMs;
  return entry.state === 'accepted' ? age < times.windowMs : age < times.claimTimeoutMs;
}

/** The in-memory store of one or several "replicas" (owners) sharing one map. */
export class InMemoryDedupStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly times: DedupTimes,
    private readonly nowMs: () => number,
  ) {}

  /** The store as seen by one replica. */
  as(owner: string): DedupStore {
    return {
      claim: async (id) => {
        const now = this.nowMs();
        const entry = this.entries.get(id);
        if (entry && entryStands(entry, now, this.times)) return entry.state;
        this.entries.set(id, { state: 'pending', atMs: now, owner });
        return 'claimed';
      },
      accepted: async (id) => {
        const entry = this.entries.get(id);
        if (entry?.owner === owner) this.entries.set(id, { state: 'accepted', atMs: this.nowMs(), owner });
      },
      release: async (id) => {
        const entry = this.entries.get(id);
        if (entry?.owner === owner && entry.state === 'pending') this.entries.delete(id);
      },
    };
  }
}
