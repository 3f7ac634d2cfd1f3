import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ValidationError } from '@tributary/core';
import { errorBody, proxyPage, TOO_MANY_MESSAGE, UNAUTHORIZED_MESSAGE } from './envelope';
import type { SimDeps } from './deps';
import type { RateDecision } from '../rate-limiter';

/** `GET /customers/:id/attachments`: numeric path segments folded into `:id`. */
export function endpointKey(req: Request): string {
  return `${req.method} ${req.path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
}

function rateHeaders(res: Response, limit: number, remaining: number): void {
  res.set('X-RateLimit-Limit', String(limit));
  res.set('X-RateLimit-Remaining', String(remaining));
}

/** Counts the request, its status and the requests in flight. */
export function track(deps: SimDeps): RequestHandler {
  return (req, res, next) => {
    deps.stats.begin(endpointKey(req));
    let done = false;
    const finish = (status: number | undefined): void => {
      if (done) return;
      done = true;
      deps.stats.end(status);
    };
    res.on('finish', () => finish(res.statusCode));
    res.on('close', () => finish(res.writableFinished ? res.statusCode : undefined));
    next();
  };
}

/** Injected latency, or a hang that ends with the socket dropped. */
export function delays(deps: SimDeps): RequestHandler {
  return async (req, res, next) => {
    const timeout = deps.faults.timeoutMs();
    if (timeout !== null) {
      deps.stats.add('timeouts');
      const cancel = deps.timers.after(timeout, () => req.socket.destroy());
      res.on('close', cancel);
      return;
    }
    await deps.timers.delay(deps.faults.latencyMs());
    if (!res.destroyed) next();
  };
}

/** `x-api-key` must equal the configured key; anything else is RepCard's exact 401. */
export function auth(deps: SimDeps): RequestHandler {
  return (req, res, next) => {
    const key = req.get('x-api-key');
    if (key !== deps.config.apiKey) {
      const peek = deps.limiter.peek(key ?? '');
      rateHeaders(res, peek.limit, peek.remaining);
      deps.stats.add('unauthorized');
      res.status(401).json(errorBody(401, UNAUTHORIZED_MESSAGE));
      return;
    }
    next();
  };
}

function tooMany(deps: SimDeps, res: Response, decision: RateDecision): void {
  rateHeaders(res, decision.limit, 0);
  if (deps.config.sendRetryAfter)
    res.set('Retry-After', String(Math.max(1, Math.ceil(decision.resetInMs / 1000))));
  res.status(429).json(errorBody(429, TOO_MANY_MESSAGE));
}

/** Injected 429 storms first (they spend no budget), then the fixed-window budget. */
export function rateLimit(deps: SimDeps): RequestHandler {
  return (_req, res, next) => {
    const key = deps.config.apiKey;
    if (deps.faults.storm()) {
      deps.stats.add('injected429');
      tooMany(deps, res, deps.limiter.peek(key));
      return;
    }
    const decision = deps.limiter.take(key);
    if (!decision.allowed) {
      deps.stats.add('rateLimitViolations');
      tooMany(deps, res, decision);
      return;
    }
    rateHeaders(res, decision.limit, decision.remaining);
    next();
  };
}

/** Injected 5xx bursts: 500 as a JSON envelope, 502/503 as a gateway's HTML page. */
export function errorBursts(deps: SimDeps): RequestHandler {
  return (_req, res, next) => {
    const status = deps.faults.burst();
    if (status === null) return next();
    deps.stats.add('injected5xx');
    if (status === 500) res.status(500).json(errorBody(500, 'Server Error'));
    else res.status(status).type('html').send(proxyPage(status));
  };
}

export function notFound(_req: Request, res: Response): void {
  res.status(404).json(errorBody(404, 'Not found.'));
}

export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) return;
  if (err instanceof ValidationError) {
    res.status(422).json(errorBody(422, err.message));
    return;
  }
  process.stderr.write(`sim-repcard: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
  res.status(500).json(errorBody(500, 'Server Error'));
}
