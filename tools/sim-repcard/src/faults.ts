import { z } from 'zod';
import { ENTITIES } from './entities';
import { MALFORM_KINDS } from './malform';
import { POISON_KINDS } from './poison';

const entity = z.enum(ENTITIES);
const count = z.int().min(0);

/**
 * Faults the simulator injects. `setFaults` replaces the whole set (pass `{}` to clear), and every
 * counter (burst position, storm remainder, shift trigger) starts again from zero.
 */
export const faultsSchema = z
  .object({
    /** Added to every API response; `latencyJitterMs` adds a uniform extra delay in [0, jitter]. */
    latencyMs: count.optional(),
    latencyJitterMs: count.optional(),
    /**
     * `count` consecutive 5xx answers, starting after `after` requests (default 0). With `every`, a
     * new burst starts every `every` requests (`every` > `count`). 500 answers a JSON envelope,
     * 502/503 an HTML proxy page, as gateways do.
     */
    errorBurst: z
      .object({
        status: z.union([z.literal(500), z.literal(502), z.literal(503)]),
        count: z.int().min(1),
        every: z.int().min(2).optional(),
        after: count.optional(),
      })
      .refine((b) => b.every === undefined || b.every > b.count, {
        message: 'every must be greater than count',
      })
      .optional(),
    /** Probability that a request hangs for `timeoutMs` (default 30 000) and then loses its socket. */
    timeoutRate: z.number().min(0).max(1).optional(),
    timeoutMs: count.optional(),
    /** Share of records (chosen by seed, stable) served malformed: id missing, a number as a string... */
    malformedRate: z.number().min(0).max(1).optional(),
    /**
     * How malformed records break (default: missing-id, id-wrong-type; the record's identity).
     * Add fk-as-string / bad-timestamp for breakage a lenient consumer may accept.
     */
    malformedKinds: z.array(z.enum(MALFORM_KINDS)).min(1).optional(),
    /** Records served malformed, by record id (numbers, or `_id` strings for status logs). */
    malformedIds: z.partialRecord(entity, z.array(z.union([z.number(), z.string()]))).optional(),
    /** Records served malformed, by record index (0-based position in id order). */
    malformedIndices: z.partialRecord(entity, z.array(count)).optional(),
    /**
     * Records served poisoned (valid JSON, intact identity, a value a database may refuse: NUL,
     * lone surrogate, 1e20, 30 February, 2 MB), by entity: `{ index, kind }` (see poison.ts).
     */
    poison: z
      .partialRecord(entity, z.array(z.object({ index: count, kind: z.enum(POISON_KINDS) }).strict()))
      .optional(),
    /** Answer 429 `count` times (after `after` requests) although the budget is not spent. */
    rateLimit429Storm: z.object({ count: z.int().min(1), after: count.optional() }).optional(),
    /**
     * After the `afterRequests`-th list request for `entity`, once: bump `update` (default 1) of the
     * records already served to updatedAt = now, and append `insert` (default 0) new records.
     */
    shiftDuringSync: z
      .object({
        entity,
        afterRequests: z.int().min(1),
        update: count.optional(),
        insert: count.optional(),
      })
      .optional(),
  })
  .strict();

export type SimFaults = z.input<typeof faultsSchema>;
export type ResolvedFaults = z.output<typeof faultsSchema>;
