import type { ErrorCode } from './error-codes';

/**
 * The one error base class of the project (STYLE.md habit 5): every error carries a stable `code`,
 * whether retrying can help (`retriable`), and the `cause` it wraps. Never throw strings.
 */
export interface TributaryErrorOptions {
  retriable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: TributaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
  }
}

/** Bad configuration: names the environment variable at fault. */
export class ConfigError extends TributaryError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIG_INVALID', `${variable}: ${message}`, { details: { variable } });
  }
}

/** Input that can never succeed however often it is retried (bad record, bad request). */
export class ValidationError extends TributaryError {
  constructor(message: string, options: TributaryErrorOptions = {}) {
    super('VALIDATION_FAILED', message, { ...options, retriable: false });
  }
}

/** A dependency (API, broker, database) failed in a way that may pass. */
export class DependencyError extends TributaryError {
  constructor(code: ErrorCode, message: string, options: TributaryErrorOptions = {}) {
    super(code, message, { retriable: true, ...options });
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}

export function isRetriable(err: unknown): boolean {
  return err instanceof TributaryError ? err.retriable : false;
}

/** True when `err` is a TributaryError carrying `code` (the guard callers branch on). */
export function hasErrorCode<C extends ErrorCode>(
  err: unknown,
  code: C,
): err is TributaryError & { code: C } {
  return err instanceof TributaryError && err.code === code;
}

/** A producer that another instance with its transactional id has replaced: never retry. */
export function isProducerFenced(err: unknown): boolean {
  return hasErrorCode(err, 'KAFKA_PRODUCER_FENCED');
}
