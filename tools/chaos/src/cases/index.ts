import type { ChaosCase } from '../types';
import { kafkaCase } from './kafka';
import { killCase } from './kill';
import { poisonCase } from './poison';
import { poisonApiCase } from './poison-api';
import { postgresCase } from './postgres';
import { registryCase } from './registry';
import { replicasCase } from './replicas';

/** Every case, in the order `npm run chaos` runs them. */
export const CASES: readonly ChaosCase[] = [
  killCase,
  poisonCase,
  poisonApiCase,
  kafkaCase,
  postgresCase,
  registryCase,
  replicasCase,
];
