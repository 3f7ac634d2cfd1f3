import type { Express, Request } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { TributaryError, ValidationError } from '@tributary/core';
import { checkCredentials, createSession, deleteSession, recordAudit } from '@tributary/auth';
import type { Logger } from '@tributary/observability';
import { sessionCookie } from './security/cookies';
import { requirePermission } from './security/guards';
import { authOf } from './security/principal';
import { rateLimitPerMinute } from './security/rate-limit';

/** Text PostgreSQL can store: no NUL, no lone UTF-16 surrogate (found by the API fuzzer: a 500). */
const STORABLE = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const storableText = (max: number) =>
  z.string().min(1).max(max).regex(STORABLE, 'must not contain NUL or lone UTF-16 surrogates');

export const LoginBody = z.strictObject({
  username: storableText(64),
  password: storableText(1024),
});

export interface SessionApiOptions {
  pool: Pool;
  logger: Logger;
  sessionTtlMs: number;
  /** Sign-in attempts per client address per minute. */
  rateLimitPerMinute: number;
  demo: boolean;
}

/** Behind TLS (directly, or a trusted proxy's X-Forwarded-Proto): the cookie is Secure. */
const secure = (req: Request): boolean => req.secure;

/**
 * The dashboard's session:
 *   POST   /api/session   sign in with {username, password}: sets the session cookie, answers the CSRF token
 *   GET    /api/session   who is signed in (any role), with the CSRF token of a cookie session
 *   DELETE /api/session   sign out (the session ends in PostgreSQL, the cookie is cleared)
 */
export function mountSessionApi(app: Express, options: SessionApiOptions): void {
  const { pool, logger } = options;

  app.post('/api/session', rateLimitPerMinute('login', options.rateLimitPerMinute), async (req, res) => {
    const parsed = LoginBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'body');
      throw new ValidationError(`${field}: a JSON body {username, password} is required`, {
        details: { field },
      });
    }
    const { username, password } = parsed.data;
    const user = await checkCredentials(pool, username, password);
    await recordAudit(pool, {
      actor: username,
      credential: 'password',
      action: 'session.login',
      outcome: user ? 'ok' : 'refused',
      details: { ip: req.ip ?? null },
    });
    if (!user) {
      logger.warn('admin.unauthorized', `sign-in refused for ${JSON.stringify(username)}`, { username });
      throw new TributaryError('UNAUTHORIZED', 'wrong username or password');
    }
    const session = await createSession(pool, user.id, options.sessionTtlMs);
    res.setHeader(
      'Set-Cookie',
      sessionCookie(session.id, { secure: secure(req), maxAgeSec: Math.floor(options.sessionTtlMs / 1000) }),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      username: user.username,
      role: user.role,
      credential: 'session',
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
      demo: options.demo,
    });
  });

  app.get('/api/session', requirePermission('runs:read'), (_req, res) => {
    const auth = authOf(res)!;
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      username: auth.principal.username,
      role: auth.principal.role,
      credential: auth.principal.credential,
      csrfToken: auth.session?.csrfToken ?? null,
      demo: options.demo,
    });
  });

  app.delete('/api/session', requirePermission('runs:read'), async (req, res) => {
    const auth = authOf(res)!;
    if (auth.session) {
      await deleteSession(pool, auth.session.id);
      await recordAudit(pool, {
        actor: auth.principal.username,
        credential: 'session',
        action: 'session.logout',
        outcome: 'ok',
      });
    }
    res.setHeader('Set-Cookie', sessionCookie('', { secure: secure(req), maxAgeSec: 0 }));
    res.status(204).end();
  });
}
