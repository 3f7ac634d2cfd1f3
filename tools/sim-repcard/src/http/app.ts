import express, { Router, type Express } from 'express';
import { adminRoutes } from './admin';
import type { SimDeps } from './deps';
import { auth, delays, errorBursts, errorHandler, notFound, rateLimit, track } from './middleware';
import { apiRoutes } from './routes';

/**
 * `/api`: track → latency/timeouts → auth (401) → 429 storm / rate limit → 5xx bursts → routes.
 * `/__sim`: admin.
 */
export function createApp(deps: SimDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/__sim', adminRoutes(deps));
  const api = Router();
  api.use(track(deps), delays(deps), auth(deps), rateLimit(deps), errorBursts(deps));
  api.use(apiRoutes(deps));
  api.use(notFound);
  api.use(errorHandler);
  app.use('/api', api);
  app.use((_req, res) => {
    res.status(404).json({ message: 'Not found.' });
  });
  return app;
}
