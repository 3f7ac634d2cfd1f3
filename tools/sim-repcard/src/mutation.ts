import { z } from 'zod';
import { ENTITIES, type RepcardEntity } from './entities';

export const mutationSchema = z
  .object({
    entity: z.enum(ENTITIES),
    /** Record indices to update (updatedAt := at, one field changes). */
    update: z.array(z.int().min(0)).default([]),
    /** Record ids to update (numbers, or `_id` strings for status logs). */
    updateIds: z.array(z.union([z.number(), z.string()])).default([]),
    /** How many records to append (createdAt = updatedAt = at). */
    insert: z.int().min(0).max(1_000_000).default(0),
    /** Record indices to remove: the API no longer lists them (a deletion at the source). */
    remove: z.array(z.int().min(0)).default([]),
    /** Record ids to remove (numbers, or `_id` strings for status logs). */
    removeIds: z.array(z.union([z.number(), z.string()])).default([]),
    /** When the change happens. Default: the simulator's `now`. */
    at: z.union([z.date(), z.iso.datetime({ offset: true })]).optional(),
  })
  .strict();

export type SimMutation = z.input<typeof mutationSchema>;

export interface MutationResult {
  entity: RepcardEntity;
  /** Indices updated, in the order given. */
  updated: number[];
  /** Indices of the appended records. */
  inserted: number[];
  /** Indices removed, in the order given (absent when none was). */
  removed?: number[];
  at: string;
}
