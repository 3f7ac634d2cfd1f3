/**
 * Injected faults: latency with jitter, bursts of error statuses, malformed records and a mutation
 * applied in the middle of a sync (after K requests). `setFaults` replaces the whole set and restarts
 * every counter.
 */
import { z } from 'zod';
import type { MalformedConfig } from './malformed';
import { CURAGENESIS_POISON_KINDS, type PoisonConfig } from './poison';
import { mutationSchema, type Mutation } from './mutations';
import { rngFor, Stream, type Rng } from './prng';

export type Endpoint = 'practices' | 'financials';

export interface BurstFault {
  /** Status answered, e.g. 503 (any 4xx/5xx is accepted, so 429 works too). */
  status: number;
  /** How many consecutive matching requests get it. */
  count: number;
  /** Matching requests let through before the burst starts (default 0). */
  afterRequests?: number;
  /** Only requests to this endpoint count (default: both). */
  endpoint?: Endpoint;
}

export interface ChangeDuringSyncFault {
  /** The mutation is applied just before the (K+1)-th served API request. */
  afterRequests: number;
  mutation: Mutation;
  endpoint?: Endpoint;
}

export interface Faults {
  latency?: { ms: number; jitterMs?: number };
  bursts?: BurstFault | BurstFault[];
  malformed?: MalformedConfig;
  /** Records served poisoned (valid, but holding a value a database may refuse): see poison.ts. */
  poison?: PoisonConfig;
  changeDuringSync?: ChangeDuringSyncFault;
}

const endpointSchema = z.enum(['practices', 'financials']);
const burstSchema = z
  .object({
    status: z.number().int().min(400).max(599),
    count: z.number().int().min(1),
    afterRequests: z.number().int().min(0).optional(),
    endpoint: endpointSchema.optional(),
  })
  .strict();

/** The JSON form accepted by `PUT /__sim/faults` (and checked by `setFaults`). */
export const faultsSchema = z
  .object({
    latency: z
      .object({ ms: z.number().min(0).max(120_000), jitterMs: z.number().min(0).max(120_000).optional() })
      .strict()
      .optional(),
    bursts: z.union([burstSchema, z.array(burstSchema)]).optional(),
    malformed: z
      .object({
        practiceIds: z.array(z.string()).optional(),
        orderIds: z.array(z.string()).optional(),
        rate: z.number().min(0).max(1).optional(),
        kinds: z.array(z.enum(['practice', 'order'])).optional(),
      })
      .strict()
      .optional(),
    poison: z
      .object({
        practices: z.record(z.string(), z.enum(CURAGENESIS_POISON_KINDS)).optional(),
        orders: z.record(z.string(), z.enum(CURAGENESIS_POISON_KINDS)).optional(),
      })
      .strict()
      .optional(),
    changeDuringSync: z
      .object({
        afterRequests: z.number().int().min(0),
        mutation: mutationSchema,
        endpoint: endpointSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

interface BurstState extends BurstFault {
  skip: number;
  remaining: number;
}

export class FaultState {
  private faults: Faults = {};
  private bursts: BurstState[] = [];
  private change: { fault: ChangeDuringSyncFault; seen: number; applied: boolean } | undefined;
  private jitter: Rng;

  constructor(
    private readonly seed: number,
    private readonly baseLatencyMs: number,
  ) {
    this.jitter = rngFor(seed, Stream.jitter);
  }

  set(faults: Faults): void {
    this.faults = faults;
    const bursts =
      faults.bursts === undefined ? [] : Array.isArray(faults.bursts) ? faults.bursts : [faults.bursts];
    this.bursts = bursts.map((b) => ({ ...b, skip: b.afterRequests ?? 0, remaining: b.count }));
    this.change = faults.changeDuringSync && { fault: faults.changeDuringSync, seen: 0, applied: false };
    this.jitter = rngFor(this.seed, Stream.jitter);
  }

  current(): Faults {
    return this.faults;
  }

  /** Delay for the next API request (options.latencyMs unless a latency fault overrides it). */
  latencyMs(): number {
    const latency = this.faults.latency;
    if (!latency) return this.baseLatencyMs;
    return latency.ms + Math.floor(this.jitter() * (latency.jitterMs ?? 0));
  }

  /** The status to fail this request with, if a burst is due. */
  burstFor(endpoint: Endpoint): number | undefined {
    for (const burst of this.bursts) {
      if (burst.remaining === 0) continue;
      if (burst.endpoint !== undefined && burst.endpoint !== endpoint) return undefined;
      if (burst.skip > 0) {
        burst.skip--;
        return undefined;
      }
      burst.remaining--;
      return burst.status;
    }
    return undefined;
  }

  /** The change-during-sync mutation, once, when its request count is reached. */
  mutationDue(endpoint: Endpoint): Mutation | undefined {
    const change = this.change;
    if (!change || change.applied) return undefined;
    if (change.fault.endpoint !== undefined && change.fault.endpoint !== endpoint) return undefined;
    if (change.seen >= change.fault.afterRequests) {
      change.applied = true;
      return change.fault.mutation;
    }
    change.seen++;
    return undefined;
  }
}
