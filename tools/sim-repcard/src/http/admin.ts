import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { ValidationError } from '@tributary/core';
import type { SimDeps } from './deps';

/** `/__sim`: unauthenticated control of a running simulator (not counted in stats). */
export function adminRoutes(deps: SimDeps): Router {
  const r = Router();
  r.use(express.json({ limit: '1mb' }));
  r.get('/health', (_req, res) => {
    res.json({
      ok: true,
      seed: deps.config.seed,
      counts: deps.dataset.counts(),
      now: deps.config.now.toISOString(),
    });
  });
  r.get('/config', (_req, res) => {
    res.json(deps.config);
  });
  r.get('/stats', (_req, res) => {
    res.json(deps.stats.snapshot());
  });
  r.post('/reset-stats', (_req, res) => {
    deps.stats.reset();
    res.json({ ok: true });
  });
  r.get('/faults', (_req, res) => {
    res.json(deps.faults.current);
  });
  r.post('/faults', (req, res) => {
    res.json({ ok: true, faults: deps.setFaults(req.body ?? {}) });
  });
  r.post('/mutate', (req, res) => {
    res.json({ ok: true, ...deps.mutate(req.body ?? {}) });
  });
  r.use((_req, res) => {
    res.status(404).json({ ok: false, error: 'unknown admin endpoint' });
  });
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof ValidationError ? 400 : ((err as { status?: number }).status ?? 500);
    res.status(status).json({ ok: false, error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}
