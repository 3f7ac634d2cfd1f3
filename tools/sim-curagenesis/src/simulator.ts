/**
 * createCuragenesisSimulator: an HTTP server that answers like the CuraGenesis partner API (see
 * README.md), backed by a lazily generated, seeded data set, with fault injection and mutations.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { errorMessage } from '@tributary/core';
import { nullLogger, type Logger } from '@tributary/observability';
import { adminRouter } from './admin';
import { partnerApi } from './api';
import { SimDataset, type Dataset } from './dataset';
import { faultsSchema, FaultState, type Faults } from './faults';
import { applyMutation, type Mutation, type MutationResult } from './mutations';
import { StatsRecorder, type SimStats } from './stats';

export interface SimulatorOptions {
  seed?: number | string;
  /** Base practices (default 2 000). */
  practices?: number;
  /** Base orders (default 20 000; 1 000 000 is fine: nothing is stored per order). */
  orders?: number;
  apiKey?: string;
  /** 'x-vendor-key' (default) or 'x-vendor-token' for the older deployment. */
  authHeader?: string;
  /** Delay added to every API request (a latency fault overrides it). */
  latencyMs?: number;
  /** The data set's "now" (default 2026-01-01T00:00:00Z). */
  now?: Date;
  /** Where a failed change-during-sync mutation is reported (default: nowhere). */
  logger?: Logger;
}

export interface CuragenesisSimulator {
  start(port?: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  readonly dataset: Dataset;
  stats(): SimStats;
  resetStats(): void;
  setFaults(faults: Faults): void;
  faults(): Faults;
  mutate(mutation: Mutation): MutationResult;
}

export const DEFAULT_API_KEY = 'sim-curagenesis-key';
export const DEFAULT_AUTH_HEADER = 'x-vendor-key';

/** Throws a ZodError unless the faults are valid (a Date mutation time is accepted too). */
function checkFaults(faults: Faults): void {
  const at = faults.changeDuringSync?.mutation.at;
  const json =
    at instanceof Date
      ? {
          ...faults,
          changeDuringSync: {
            ...faults.changeDuringSync,
            mutation: { ...faults.changeDuringSync?.mutation, at: at.toISOString() },
          },
        }
      : faults;
  faultsSchema.parse(json);
}

export function createCuragenesisSimulator(options: SimulatorOptions = {}): CuragenesisSimulator {
  const dataset = new SimDataset(options);
  const stats = new StatsRecorder();
  const faultState = new FaultState(dataset.seed, options.latencyMs ?? 0);
  const mutate = (mutation: Mutation): MutationResult => applyMutation(dataset, mutation);
  const setFaults = (faults: Faults): void => {
    checkFaults(faults);
    dataset.setMalformed(faults.malformed);
    faultState.set(faults);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    '/__sim',
    adminRouter({
      describe: () => dataset.describe(),
      stats: () => stats.snapshot(),
      resetStats: () => stats.reset(),
      faults: () => faultState.current(),
      setFaults,
      mutate,
    }),
  );
  app.use(
    partnerApi({
      dataset,
      faults: faultState,
      stats,
      apiKey: options.apiKey ?? DEFAULT_API_KEY,
      authHeader: (options.authHeader ?? DEFAULT_AUTH_HEADER).toLowerCase(),
      mutate,
      logger: options.logger ?? nullLogger(),
    }),
  );

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: 'internal', message: errorMessage(err) });
  });

  let server: Server | undefined;
  return {
    dataset,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults,
    faults: () => faultState.current(),
    mutate,
    start(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, host, (err?: Error) => {
          if (err) return reject(err);
          server = listening;
          const actual = (listening.address() as AddressInfo).port;
          const shown = host.includes(':') ? `[${host}]` : host;
          resolve({ url: `http://${shown}:${actual}`, port: actual });
        });
        listening.once('error', reject);
      });
    },
    stop() {
      const running = server;
      server = undefined;
      if (!running) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        running.close((err) => (err ? reject(err) : resolve()));
        running.closeAllConnections();
      });
    },
  };
}
