import type { ChaosCase } from '../types';
import { killCase } from './kill';

/** Every case, in the order `npm run chaos` runs them. */
export const CASES: readonly ChaosCase[] = [killCase];
