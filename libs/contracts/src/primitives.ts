import { z } from 'zod';
import { type Source, isEntityOf } from './topics';

/**
 * Field types shared by every contract. Timestamps are ISO-8601 with `Z` or an offset, any
 * fractional precision (RepCard sends `2019-01-10T18:33:31.000000Z`).
 */
export const isoDateTime = z.iso.datetime({ offset: true });

/** A calendar date `YYYY-MM-DD`. */
export const isoDate = z.iso.date();

export const uuid = z.uuid();

export const nonEmpty = z.string().min(1);

export const count = z.number().int().nonnegative();

/** Any JSON value, but present: `undefined` would vanish from the serialized JSON. */
export const present = z.unknown().refine((value) => value !== undefined, { message: 'Required' });

/** An identifier a source may send as a number or as a string. */
export const idLike = z.union([z.number(), nonEmpty]);

/** Lenient optional fields of third-party records: absent, null, or the given type. */
export const optionalText = z.string().nullish();
export const optionalRef = idLike.nullish();
/** A number the source may send as a string (amounts, counts, coordinates). */
export const optionalNumeric = z.union([z.number(), z.string()]).nullish();

/** Refinement: `entity` must be an entity of `source` (reported at `entity`). */
export function refineEntityOfSource(value: { source: Source; entity: string }, ctx: z.RefinementCtx): void {
  if (!isEntityOf(value.source, value.entity)) {
    ctx.addIssue({
      code: 'custom',
      path: ['entity'],
      message: `${value.entity} is not an entity of ${value.source}`,
    });
  }
}
