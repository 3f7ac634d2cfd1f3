import type { Request } from 'express';

/** The route template a request matched (`/syncs/:id`), never the raw path; `unmatched` for 404s. */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (!route || route.path === undefined) return 'unmatched';
  return `${req.baseUrl ?? ''}${String(route.path)}`;
}
