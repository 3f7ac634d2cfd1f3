import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { TributaryError } from '@tributary/core';
import type { Logger } from '@tributary/observability';

/**
 * Requires `Authorization: Bearer <token>` when a token is configured (ADMIN_TOKEN); without one,
 * every request passes. Compared in constant time (over digests, so lengths do not leak either).
 * A refusal is 401 with `WWW-Authenticate: Bearer`, logged without the token given.
 */
export function requireAdminToken(
  token: string | undefined,
  logger: Logger,
  onRefused?: (req: Request) => void,
): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = createHash('sha256').update(token).digest();
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = match ? createHash('sha256').update(match[1]!).digest() : undefined;
    if (given && timingSafeEqual(given, expected)) {
      next();
      return;
    }
    onRefused?.(req);
    logger.warn(
      'admin.unauthorized',
      `${req.method} ${req.path} refused: ${match ? 'wrong' : 'missing'} bearer token`,
      {
        method: req.method,
        path: req.path,
        reason: match ? 'wrong_token' : 'missing_token',
      },
    );
    res.setHeader('WWW-Authenticate', 'Bearer realm="tributary-admin"');
    next(new TributaryError('UNAUTHORIZED', 'this route requires Authorization: Bearer <ADMIN_TOKEN>'));
  };
}
