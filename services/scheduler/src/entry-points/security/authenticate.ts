import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import { TributaryError } from '@tributary/core';
import { authenticateToken, findSession } from '@tributary/auth';
import { sessionIdOf } from './cookies';
import { setAuth } from './principal';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Finds who a request comes from: `Authorization: Bearer <API token>` first (a wrong one is 401,
 * never a fall back to the cookie), else the session cookie. A request with neither goes on
 * anonymous: `requirePermission` refuses it on every route that needs a role.
 */
export function authenticate(pool: Pool, onRefused?: (reason: string) => void): RequestHandler {
  return async (req, res, next) => {
    try {
      const header = req.headers.authorization;
      if (header !== undefined) {
        const match = BEARER.exec(header);
        const principal = match ? await authenticateToken(pool, match[1]!) : null;
        if (!principal) {
          onRefused?.(match ? 'wrong_token' : 'malformed_authorization');
          res.setHeader('WWW-Authenticate', 'Bearer realm="tributary", error="invalid_token"');
          return next(
            new TributaryError('UNAUTHORIZED', 'the bearer token is not valid (unknown, revoked or expired)'),
          );
        }
        setAuth(res, { principal });
        return next();
      }
      const sessionId = sessionIdOf(req.headers.cookie);
      if (sessionId) {
        const found = await findSession(pool, sessionId);
        if (found)
          setAuth(res, {
            principal: found.principal,
            session: { id: sessionId, csrfToken: found.csrfToken },
          });
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
