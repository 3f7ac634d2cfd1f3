import { ValidationError } from '@tributary/core';
import type { Dataset } from './dataset';
import { mutationSchema, type MutationResult, type SimMutation } from './mutation';
import type { Overlay } from './overlay';

/** Validates a mutation completely, then applies it to the overlay (all or nothing). */
export function applyMutation(
  dataset: Dataset,
  overlay: Overlay,
  nowMs: number,
  input: SimMutation,
): MutationResult {
  const parsed = mutationSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      `invalid mutation: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { entity, update, updateIds, insert, at } = parsed.data;
  const atMs = at === undefined ? nowMs : Math.floor(new Date(at).getTime() / 1000) * 1000;
  const indices = [...update];
  for (const id of updateIds) {
    const index = dataset.indexOfId(entity, id);
    if (index === undefined) throw new ValidationError(`no ${entity} record has id ${String(id)}`);
    indices.push(index);
  }
  const count = dataset.count(entity);
  const outside = indices.find((i) => i >= count);
  if (outside !== undefined)
    throw new ValidationError(`${entity} index ${outside} is outside 0..${count - 1}`);
  for (const i of indices) overlay.update(entity, i, atMs);
  const inserted: number[] = [];
  for (let k = 0; k < insert; k++) inserted.push(dataset.baseCount(entity) + overlay.insert(entity, atMs));
  return { entity, updated: indices, inserted, at: new Date(atMs).toISOString() };
}
