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
  const { entity, update, updateIds, insert, remove, removeIds, at } = parsed.data;
  const atMs = at === undefined ? nowMs : Math.floor(new Date(at).getTime() / 1000) * 1000;
  const byId = (ids: readonly (number | string)[]): number[] =>
    ids.map((id) => {
      const index = dataset.indexOfId(entity, id);
      if (index === undefined) throw new ValidationError(`no ${entity} record has id ${String(id)}`);
      return index;
    });
  const indices = [...update, ...byId(updateIds)];
  const removed = [...remove, ...byId(removeIds)];
  const count = dataset.count(entity);
  const outside = [...indices, ...removed].find((i) => i >= count);
  if (outside !== undefined)
    throw new ValidationError(`${entity} index ${outside} is outside 0..${count - 1}`);
  for (const i of indices) overlay.update(entity, i, atMs);
  for (const i of removed) overlay.remove(entity, i);
  const inserted: number[] = [];
  for (let k = 0; k < insert; k++) inserted.push(dataset.baseCount(entity) + overlay.insert(entity, atMs));
  return {
    entity,
    updated: indices,
    inserted,
    ...(removed.length ? { removed } : {}),
    at: new Date(atMs).toISOString(),
  };
}
