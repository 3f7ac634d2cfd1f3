import type { Request, RequestHandler } from 'express';
import { TributaryError } from '@tributary/core';
import { can, safeEqual, type Permission } from '@tributary/auth';
import { originRefusal, type OriginPolicy } from './origin-policy';
import { authOf } from './principal';

/** Browser requests from elsewhere (other origins, other Host names) are refused with 403. */
export function originGuard(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    const refusal = originRefusal(policy, {
      host: req.headers.host,
      origin: req.headers.origin,
      secFetchSite: header(req, 'sec-fetch-site'),
    });
    next(refusal ? new TributaryError('ORIGIN_REFUSED', `refused: ${refusal}`) : undefined);
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A state-changing request must send JSON (a form or text body is 415: no HTML form can post here),
 * and when its credential is the session cookie, the session's CSRF token in `X-CSRF-Token`.
 */
export function unsafeRequestGuard(): RequestHandler {
  return (req, res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      return next(
        new TributaryError(
          'UNSUPPORTED_MEDIA_TYPE',
          'request bodies must be JSON (Content-Type: application/json)',
        ),
      );
    }
    const session = authOf(res)?.session;
    if (session) {
      const given = header(req, 'x-csrf-token');
      if (!given || !safeEqual(given, session.csrfToken)) {
        return next(new TributaryError('CSRF_REFUSED', 'missing or wrong X-CSRF-Token for this session'));
      }
    }
    next();
  };
}

/** 401 without a credential (with `WWW-Authenticate`), 403 when its role lacks `permission`. */
export function requirePermission(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const auth = authOf(res);
    if (!auth) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="tributary"');
      return next(new TributaryError('UNAUTHORIZED', 'sign in, or send Authorization: Bearer <API token>'));
    }
    if (!can(auth.principal.role, permission)) {
      return next(
        new TributaryError(
          'FORBIDDEN',
          `${auth.principal.username} is ${auth.principal.role}: ${permission} needs more`,
          {
            details: { permission, role: auth.principal.role },
          },
        ),
      );
    }
    next();
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
