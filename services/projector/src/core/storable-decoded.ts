import { makeStorable, type Storable } from './storable';

/**
 * makeStorable for a record as the consumer decoded it: one whose bytes held no `\u` escape
 * (`noUnicodeEscapes`, libs/kafka holdsNoUnicodeEscape) can hold no NUL and no lone surrogate, so
 * it is not walked (2–3.8 µs per customer row of the projector's ~40: ADR 0023, addendum 5).
 */
export function makeDecodedStorable<T>(value: T, noUnicodeEscapes = false): Storable<T> {
  return noUnicodeEscapes ? { value, replaced: [] } : makeStorable(value);
}
