/** Transition only: tools/bench/src/projector-throughput.ts imports this path. Delete with it. */
export { upsertRows } from '../core/upsert';
export type { RowWrite } from '../core/row-changes';
