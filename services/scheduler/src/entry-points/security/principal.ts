import type { Response } from 'express';
import type { Principal } from '@tributary/auth';

/** What `authenticate` found on a request, kept on `res.locals`. */
export interface RequestAuth {
  principal: Principal;
  /** Set when the credential is a session cookie: its CSRF token and id. */
  session?: { id: string; csrfToken: string };
}

export function authOf(res: Response): RequestAuth | undefined {
  return res.locals.auth as RequestAuth | undefined;
}

export function setAuth(res: Response, auth: RequestAuth): void {
  res.locals.auth = auth;
}

/** The principal of an authenticated request (routes behind `requirePermission` always have one). */
export function principalOf(res: Response): Principal {
  const auth = authOf(res);
  if (!auth) throw new Error('principalOf: route mounted without requirePermission');
  return auth.principal;
}
