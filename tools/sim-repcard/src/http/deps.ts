import type { Dataset } from '../dataset';
import type { FaultController } from '../fault-controller';
import type { ResolvedFaults, SimFaults } from '../faults';
import type { MutationResult, SimMutation } from '../mutation';
import type { SimConfig } from '../options';
import type { QueryEngine } from '../query';
import type { FixedWindowRateLimiter } from '../rate-limiter';
import type { StatsRecorder } from '../stats';
import type { Timers } from '../timers';

/** Everything the HTTP layer uses. */
export interface SimDeps {
  config: SimConfig;
  dataset: Dataset;
  queries: QueryEngine;
  faults: FaultController;
  limiter: FixedWindowRateLimiter;
  stats: StatsRecorder;
  timers: Timers;
  mutate(mutation: SimMutation): MutationResult;
  setFaults(faults: SimFaults): ResolvedFaults;
}
