/**
 * Admin endpoints under /__sim (no auth): health, stats, reset-stats, faults, mutate.
 *   GET  /__sim/health        {status:'ok', dataset:{practices, orders, reps, seed, now}}
 *   GET  /__sim/stats         request / status / fault counters
 *   POST /__sim/reset-stats   zeroes the counters
 *   GET  /__sim/faults        current faults
 *   PUT|POST /__sim/faults    replace the faults (JSON, see faultsSchema); DELETE clears them
 *   POST /__sim/mutate        apply a mutation (JSON, see mutationSchema), answers the MutationResult
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { ValidationError, errorMessage } from '@tributary/core';
import { faultsSchema, type Faults } from './faults';
import { mutationSchema, type Mutation, type MutationResult } from './mutations';
import type { SimStats } from './stats';

export interface AdminDeps {
  describe(): unknown;
  stats(): SimStats;
  resetStats(): void;
  faults(): Faults;
  setFaults(faults: Faults): void;
  mutate(mutation: Mutation): MutationResult;
}

export function adminRouter(deps: AdminDeps): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', dataset: deps.describe() });
  });
  router.get('/stats', (_req, res) => {
    res.json(deps.stats());
  });
  router.post('/reset-stats', (_req, res) => {
    deps.resetStats();
    res.json({ ok: true });
  });
  router.get('/faults', (_req, res) => {
    res.json(deps.faults());
  });
  const replaceFaults = (req: Request, res: Response) => {
    deps.setFaults(faultsSchema.parse(req.body ?? {}));
    res.json(deps.faults());
  };
  router.put('/faults', replaceFaults);
  router.post('/faults', replaceFaults);
  router.delete('/faults', (_req, res) => {
    deps.setFaults({});
    res.json({});
  });
  router.post('/mutate', (req, res) => {
    res.json(deps.mutate(mutationSchema.parse(req.body ?? {})));
  });
  router.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no admin route ${req.method} /__sim${req.path}` });
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof z.ZodError) {
      res.status(400).json({ error: 'bad_request', message: z.prettifyError(err) });
    } else if (err instanceof ValidationError || (err as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: 'bad_request', message: errorMessage(err) });
    } else {
      res.status(500).json({ error: 'internal', message: errorMessage(err) });
    }
  });
  return router;
}
