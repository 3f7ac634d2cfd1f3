/** Public surface of the CuraGenesis simulator tool (imported by tests, the bench and the demo). */
export * from './simulator';
export type { Dataset, DatasetOptions } from './dataset';
export { createDataset, SimDataset } from './dataset';
export type { Practice, Order, OrderItem, RecordKind } from './types';
export type { Faults, BurstFault, ChangeDuringSyncFault, Endpoint } from './faults';
export { faultsSchema } from './faults';
export type { MalformedConfig } from './malformed';
export {
  CURAGENESIS_POISON_KINDS,
  poisonRecord,
  type CuragenesisPoisonKind,
  type PoisonConfig,
} from './poison';
export type { Mutation, MutationResult } from './mutations';
export { mutationSchema } from './mutations';
export type { SimStats } from './stats';
export { PRACTICES_PATH, FINANCIALS_PATH } from './api';
export { SELECTORS, FINANCIALS_PAGE_SIZE } from './financials';
export { PRACTICES_PAGE_SIZE } from './practices';
export * from './ids';
export * from './webhooks';
export * from './trickle';
export { loadSimConfig, simEnvSchema, type SimConfig } from './config';
