import { TributaryError } from '@tributary/core';
import type { Logger } from '@tributary/observability';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { routeLabel } from './route-label';

/** HTTP status for each error code a route may throw. `details.status` on an error overrides it. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ORIGIN_REFUSED: 403,
  CSRF_REFUSED: 403,
  CRON_NOT_CONFIGURED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SYNC_ALREADY_ENDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CONFIG_INVALID: 500,
  CIRCUIT_OPEN: 503,
  NOT_READY: 503,
};

/** What an error response carries: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

interface Mapped {
  status: number;
  body: ErrorBody;
}

/** The status and body for an error: TributaryError by its code, body-parser errors by type, else 500. */
export function mapError(err: unknown): Mapped {
  if (err instanceof TributaryError) {
    const override = err.details.status;
    const status =
      typeof override === 'number' && Number.isInteger(override) && override >= 400 && override <= 599
        ? override
        : (STATUS_BY_CODE[err.code] ?? (err.retriable ? 503 : 500));
    const { status: _status, ...details } = err.details;
    return { status, body: { error: { code: err.code, message: err.message, details } } };
  }
  const httpError = asExposedHttpError(err);
  if (httpError) {
    return {
      status: httpError.status,
      body: { error: { code: codeForHttpError(httpError), message: httpError.message, details: {} } },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal server error', details: {} } },
  };
}

/** Errors from express and body-parser (http-errors): a 4xx status and `expose: true` mean safe to show. */
function asExposedHttpError(err: unknown): { status: number; type?: string; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499 || e.expose !== true) return undefined;
  return { status, message: e.message, ...(typeof e.type === 'string' ? { type: e.type } : {}) };
}

function codeForHttpError(err: { status: number; type?: string }): string {
  switch (err.type) {
    case 'entity.too.large':
      return 'PAYLOAD_TOO_LARGE';
    case 'entity.parse.failed':
      return 'INVALID_JSON';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'UNSUPPORTED_MEDIA_TYPE';
    default:
      return Object.entries(STATUS_BY_CODE).find(([, status]) => status === err.status)?.[0] ?? 'BAD_REQUEST';
  }
}

/** The last middleware: turns any error into `{ error: {...} }` and logs every 5xx with its cause chain. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const { status, body } = mapError(err);
    if (status >= 500) {
      logger.error('http.error', `${req.method} ${routeLabel(req)} failed with ${status}`, {
        method: req.method,
        route: routeLabel(req),
        path: req.path,
        status,
        err,
      });
    }
    if (res.headersSent) return next(err); // express closes the connection
    res.status(status).json(body);
  };
}

/** For requests no route matched: 404 in the same shape as every other error. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(new TributaryError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
  };
}
