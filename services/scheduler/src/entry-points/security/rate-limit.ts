import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { TributaryError } from '@tributary/core';
import { authOf } from './principal';

/**
 * At most `perMinute` requests per client per minute (express-rate-limit, in memory: per replica),
 * keyed by the authenticated user when there is one, else by the client address. Beyond it: 429
 * RATE_LIMITED with `Retry-After` and the IETF `RateLimit` headers.
 */
export function rateLimitPerMinute(name: string, perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    keyGenerator: (req, res) => {
      const user = authOf(res)?.principal.username;
      return user ? `user:${user}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, _res, next) => {
      next(
        new TributaryError(
          'RATE_LIMITED',
          `too many requests: at most ${perMinute} a minute, try again later`,
        ),
      );
    },
  });
}
