/**
 * Mutations change the data set after start-up (for incremental sync, webhooks and change-during-sync
 * tests). They only touch the dataset overlay: updated/inserted practices get `updatedAt` = the mutation
 * time; inserting orders bumps the practice's totalOrders and therefore its updatedAt too.
 */
import { z } from 'zod';
import { ValidationError } from '@tributary/core';
import type { SimDataset } from './dataset';
import { orderIdOf, parsePracticeId, practiceIdOf } from './ids';
import { rngFor, Stream } from './prng';

export interface Mutation {
  /** Mutation time; default: the simulated clock (dataset now + wall time since start, strictly increasing). */
  at?: string | Date;
  practices?: {
    /** New version of these practices (specialty, curaIntakeId, sometimes state change). */
    update?: string[];
    /** Activate these practices (no-op for practices already active). */
    activate?: string[];
    /** Insert this many new, not yet activated practices (ids continue after the last one). */
    insert?: number;
  };
  orders?: {
    insert?: number;
    /** Practice of the new orders (activated first if needed); default: random activated practices. */
    practiceId?: string;
  };
}

export interface MutationResult {
  at: string;
  practices: { updated: string[]; activated: string[]; inserted: string[] };
  orders: { inserted: string[] };
}

/** The JSON form accepted by `POST /__sim/mutate` and by `faults.changeDuringSync.mutation`. */
export const mutationSchema = z
  .object({
    at: z.iso.datetime({ offset: true }).optional(),
    practices: z
      .object({
        update: z.array(z.string()).optional(),
        activate: z.array(z.string()).optional(),
        insert: z.number().int().min(0).max(100_000).optional(),
      })
      .strict()
      .optional(),
    orders: z
      .object({
        insert: z.number().int().min(0).max(1_000_000).optional(),
        practiceId: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Throws unless every id names a practice that exists (or is inserted by this same mutation). */
function checkPracticeIds(ids: string[], limit: number): void {
  const unknown = ids.filter((id) => {
    const index = parsePracticeId(id);
    return index === undefined || index >= limit;
  });
  if (unknown.length > 0) throw new ValidationError(`unknown practice ids: ${unknown.join(', ')}`);
}

export function applyMutation(dataset: SimDataset, mutation: Mutation): MutationResult {
  const insertPractices = mutation.practices?.insert ?? 0;
  const orderTarget = mutation.orders?.practiceId;
  checkPracticeIds(
    [
      ...(mutation.practices?.update ?? []),
      ...(mutation.practices?.activate ?? []),
      ...(orderTarget !== undefined ? [orderTarget] : []),
    ],
    dataset.countPractices() + insertPractices,
  );
  let atMs: number;
  if (mutation.at === undefined) atMs = dataset.nextMutationMs();
  else {
    atMs = new Date(mutation.at).getTime();
    if (Number.isNaN(atMs)) throw new ValidationError(`mutation time is not a date: ${String(mutation.at)}`);
    dataset.noteMutationAt(atMs);
  }
  const result: MutationResult = {
    at: new Date(atMs).toISOString(),
    practices: { updated: [], activated: [], inserted: [] },
    orders: { inserted: [] },
  };
  for (let k = 0; k < insertPractices; k++)
    result.practices.inserted.push(practiceIdOf(dataset.insertPractice(atMs)));
  for (const id of mutation.practices?.update ?? []) {
    dataset.updatePractice(dataset.practiceIndexOf(id) as number, atMs);
    result.practices.updated.push(id);
  }
  for (const id of mutation.practices?.activate ?? []) {
    if (dataset.activatePractice(dataset.practiceIndexOf(id) as number, atMs))
      result.practices.activated.push(id);
  }
  const rng = rngFor(dataset.seed, Stream.mutation, dataset.nextMutationSerial());
  for (let k = 0; k < (mutation.orders?.insert ?? 0); k++) {
    let p: number;
    if (orderTarget !== undefined) {
      p = dataset.practiceIndexOf(orderTarget) as number;
      if (dataset.activatePractice(p, atMs)) result.practices.activated.push(orderTarget);
    } else {
      p = 0;
      for (let tries = 0; tries < 64; tries++) {
        const candidate = Math.floor(rng() * dataset.countPractices());
        if (dataset.activatedAtOf(candidate) !== null) {
          p = candidate;
          break;
        }
      }
    }
    result.orders.inserted.push(orderIdOf(dataset.insertOrder(p, atMs)));
  }
  return result;
}
