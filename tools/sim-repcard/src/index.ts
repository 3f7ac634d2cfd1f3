import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '@tributary/core';
import { applyMutation } from './apply-mutation';
import { Dataset } from './dataset';
import { FaultController } from './fault-controller';
import { faultsSchema, type ResolvedFaults, type SimFaults } from './faults';
import { createApp } from './http/app';
import type { SimDeps } from './http/deps';
import type { MutationResult, SimMutation } from './mutation';
import { resolveOptions, type RepcardSimulatorOptions, type SimConfig } from './options';
import { Overlay } from './overlay';
import { QueryEngine } from './query';
import { FixedWindowRateLimiter } from './rate-limiter';
import { StatsRecorder, type SimStats } from './stats';
import { Timers } from './timers';
import { World } from './world';

export { ENTITIES, type EntityCounts, type RepcardEntity, type RepcardRecord } from './entities';
export type { Dataset, MalformedConfig, RenderOptions } from './dataset';
export { MALFORM_KINDS, type MalformKind } from './malform';
export { POISON_KINDS, HUGE_STRING_LENGTH, type PoisonKind } from './poison';
export type { ResolvedFaults, SimFaults } from './faults';
export type { MutationResult, SimMutation } from './mutation';
export {
  countsFor,
  DEFAULT_NOW,
  MAX_SIZE,
  type DateFilterField,
  type RepcardSimulatorOptions,
  type SimConfig,
} from './options';
export type { SimStats } from './stats';
export * from './webhooks';

export interface RepcardSimulator {
  /** Listens (port 0 = any free port); `url` is the base URL ending in `/api`. */
  start(port?: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  /** The truth being served (generated records + mutations), for tests. */
  readonly dataset: Dataset;
  stats(): SimStats;
  resetStats(): void;
  /** Replaces all faults (`{}` clears them) and restarts their counters; returns them validated. */
  setFaults(faults: SimFaults): ResolvedFaults;
  getFaults(): ResolvedFaults;
  mutate(mutation: SimMutation): MutationResult;
  readonly config: SimConfig;
  /** Base URL while started. */
  readonly url: string | undefined;
}

export function createRepcardSimulator(options: RepcardSimulatorOptions = {}): RepcardSimulator {
  const { config, faults: initialFaults } = resolveOptions(options);
  const world = new World(config.seed, config.counts, config.now);
  const overlay = new Overlay();
  const dataset = new Dataset(world, overlay);
  const faults = new FaultController(config.seed);
  const timers = new Timers();
  let server: Server | undefined;
  let url: string | undefined;

  const setFaults = (input: SimFaults): ResolvedFaults => {
    const parsed = faultsSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new ValidationError(`invalid faults: ${issues}`);
    }
    faults.set(parsed.data);
    dataset.setMalformed({
      rate: parsed.data.malformedRate,
      kinds: parsed.data.malformedKinds,
      ids: parsed.data.malformedIds,
      indices: parsed.data.malformedIndices,
    });
    dataset.setPoison(parsed.data.poison);
    return parsed.data;
  };
  const mutate = (m: SimMutation): MutationResult => applyMutation(dataset, overlay, world.nowMs, m);

  const deps: SimDeps = {
    config,
    dataset,
    queries: new QueryEngine(dataset),
    faults,
    limiter: new FixedWindowRateLimiter(config.rateLimit, config.ratePeriodMs, options.clock),
    stats: new StatsRecorder(),
    timers,
    mutate,
    setFaults,
  };
  setFaults(initialFaults);
  const app = createApp(deps);

  return {
    config,
    dataset,
    get url() {
      return url;
    },
    stats: () => deps.stats.snapshot(),
    resetStats: () => deps.stats.reset(),
    setFaults,
    getFaults: () => faults.current,
    mutate,
    start(port = 0, host = '127.0.0.1') {
      if (server) return Promise.reject(new ValidationError('the simulator is already started'));
      const s = createServer(app);
      server = s;
      return new Promise((resolve, reject) => {
        s.once('error', (err) => {
          server = undefined;
          reject(err);
        });
        s.listen(port, host, () => {
          const actual = (s.address() as AddressInfo).port;
          url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}/api`;
          resolve({ url, port: actual });
        });
      });
    },
    stop() {
      const s = server;
      server = undefined;
      url = undefined;
      timers.clear();
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
