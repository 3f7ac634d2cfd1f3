import CircuitBreaker from 'opossum';
import { backoffWithJitter, DependencyError, sleep, TributaryError } from '@tributary/core';
import type { Logger, Metrics } from '@tributary/observability';
import type { BudgetPriority } from './budget/priority';
import type { RateBudget } from './rate-budget';
import { checkSourceBaseUrl, fetchSameOrigin } from './source-url-policy';

export interface SourceClientOptions {
  source: string;
  baseUrl: string;
  headers: Record<string, string>;
  /** Shared by every entity of this API key. */
  budget?: RateBudget;
  /** The budget class of requests that do not name one (default `manual`; reconcile: `reconcile`). */
  priority?: BudgetPriority;
  timeoutMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  breaker?: { errorThresholdPercentage?: number; resetTimeoutMs?: number; volumeThreshold?: number };
  logger?: Logger;
  metrics?: Metrics;
  fetchImpl?: typeof fetch;
}

export interface SourceResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** The API refused the credentials: retrying cannot help. */
export class SourceAuthError extends TributaryError {
  constructor(source: string, status: number) {
    super('SOURCE_UNAUTHORIZED', `${source} API answered ${status}: check the API key`, { retriable: false });
  }
}

class AttemptError extends DependencyError {
  constructor(
    message: string,
    readonly countsForBreaker: boolean,
    readonly retryAfterMs?: number,
  ) {
    super('SOURCE_REQUEST_FAILED', message);
  }
}

/**
 * HTTP GET against a source API: shared rate budget, retries of 429 / 5xx / timeouts with
 * exponential backoff and full jitter (a Retry-After, if ever sent, is obeyed), and an opossum
 * circuit breaker that stops hammering an API that keeps failing.
 */
export class SourceClient {
  private readonly breaker: CircuitBreaker<[string, AbortSignal | undefined, BudgetPriority], SourceResponse>;
  private readonly opts: Required<
    Pick<SourceClientOptions, 'timeoutMs' | 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs'>
  > &
    SourceClientOptions;

  constructor(options: SourceClientOptions) {
    this.opts = { timeoutMs: 30_000, maxAttempts: 10, backoffBaseMs: 500, backoffCapMs: 30_000, ...options };
    checkSourceBaseUrl(options.source, options.baseUrl);
    this.breaker = new CircuitBreaker(
      (url: string, signal: AbortSignal | undefined, priority: BudgetPriority) =>
        this.attempt(url, signal, priority),
      {
        timeout: false,
        errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
        resetTimeout: options.breaker?.resetTimeoutMs ?? 10_000,
        volumeThreshold: options.breaker?.volumeThreshold ?? 10,
        errorFilter: (err: unknown) => !(err instanceof AttemptError && err.countsForBreaker),
      },
    );
    const gauge = options.metrics?.gauge('tributary_circuit_breaker_state');
    const set = (state: number, event: 'circuit.open' | 'circuit.close' | null) => {
      gauge?.set({ source: options.source }, state);
      if (event)
        options.logger?.warn(
          event,
          `${options.source} circuit ${event === 'circuit.open' ? 'opened' : 'closed'}`,
        );
    };
    set(0, null); // closed from the start: the state is a series before the first change
    this.breaker.on('open', () => set(2, 'circuit.open'));
    this.breaker.on('halfOpen', () => set(1, null));
    this.breaker.on('close', () => set(0, 'circuit.close'));
  }

  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const u = new URL(this.opts.baseUrl.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** This client as a JsonGetter whose requests wait in the budget as `priority` (one run, one re-fetch). */
  withPriority(priority: BudgetPriority): Pick<SourceClient, 'getJson'> {
    return { getJson: (path, query, signal) => this.getJson(path, query, signal, priority) };
  }

  async getJson(
    path: string,
    query: Record<string, string | number | undefined> = {},
    signal?: AbortSignal,
    priority: BudgetPriority = this.opts.priority ?? 'manual',
  ): Promise<SourceResponse> {
    const url = this.url(path, query);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.breaker.fire(url, signal, priority);
      } catch (err) {
        if (err instanceof SourceAuthError || (err instanceof TributaryError && !err.retriable)) throw err;
        if (attempt + 1 >= this.opts.maxAttempts || signal?.aborted) {
          throw new DependencyError(
            'SOURCE_UNAVAILABLE',
            `${this.opts.source} ${path}: gave up after ${attempt + 1} attempts: ${(err as Error).message}`,
            { cause: err },
          );
        }
        const retryAfter = err instanceof AttemptError ? err.retryAfterMs : undefined;
        const open = (err as { code?: string }).code === 'EOPENBREAKER';
        const delay =
          retryAfter ??
          backoffWithJitter(attempt, open ? 1000 : this.opts.backoffBaseMs, this.opts.backoffCapMs);
        this.opts.metrics
          ?.counter('tributary_source_api_retries_total')
          .inc({ source: this.opts.source, endpoint: endpointOf(url) });
        this.opts.logger?.warn('api.retry', `${this.opts.source} ${path} retry in ${delay} ms`, {
          attempt: attempt + 1,
          error: (err as Error).message,
        });
        await sleep(delay, signal);
      }
    }
  }

  /**
   * One request. `signal` (the service stopping, a cancel) ends a wait for the budget and a request
   * in flight at once, with the signal's reason, which the breaker does not count as a failure.
   */
  private async attempt(
    url: string,
    signal: AbortSignal | undefined,
    priority: BudgetPriority,
  ): Promise<SourceResponse> {
    const { source, budget, metrics } = this.opts;
    const endpoint = endpointOf(url);
    const release = budget ? await budget.acquire(signal, priority) : undefined;
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    let res: Response;
    try {
      res = await fetchSameOrigin(this.opts.fetchImpl ?? fetch, url, {
        headers: this.opts.headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      release?.();
      if (signal?.aborted) throw signal.reason ?? err;
      if (err instanceof TributaryError && err.code === 'REDIRECT_REFUSED') throw err;
      metrics
        ?.counter('tributary_source_api_requests_total')
        .inc({ source, endpoint, status: 'network_error' });
      throw new AttemptError(`${source} request failed: ${(err as Error).message}`, true);
    }
    const remaining = Number(res.headers.get('x-ratelimit-remaining') ?? NaN);
    release?.(Number.isFinite(remaining) ? remaining : undefined);
    metrics
      ?.counter('tributary_source_api_requests_total')
      .inc({ source, endpoint, status: String(res.status) });
    metrics
      ?.histogram('tributary_source_api_request_duration_seconds')
      .observe({ source, endpoint }, (performance.now() - started) / 1000);
    if (Number.isFinite(remaining))
      metrics?.gauge('tributary_source_api_rate_limit_remaining').set({ source }, remaining);
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new SourceAuthError(source, res.status);
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    if (res.status === 429) {
      budget?.exhausted();
      metrics?.counter('tributary_source_api_throttled_total').inc({ source, reason: '429' });
      this.opts.logger?.warn('api.throttled', `${source} answered 429`, { url });
      throw new AttemptError(`${source} answered 429 Too Many Requests`, false, retryAfterMs);
    }
    if (res.status >= 500) throw new AttemptError(`${source} answered ${res.status}`, true, retryAfterMs);
    if (res.status >= 400) {
      throw new TributaryError(
        'SOURCE_BAD_REQUEST',
        `${source} answered ${res.status} for ${url}: ${text.slice(0, 300)}`,
        { details: { status: res.status } },
      );
    }
    try {
      return { status: res.status, body: JSON.parse(text) as unknown, headers: res.headers };
    } catch {
      throw new AttemptError(`${source} answered ${res.status} with a body that is not JSON`, true);
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** The API answered `status` (a 4xx other than 401 / 403 / 429): e.g. 404 for a record that is gone. */
export function isSourceAnswer(err: unknown, status: number): boolean {
  return err instanceof TributaryError && err.code === 'SOURCE_BAD_REQUEST' && err.details.status === status;
}

/** The endpoint template of a request (metric label): the path with numeric ids as `:id`. */
function endpointOf(url: string): string {
  return new URL(url).pathname.replace(/\/\d+(?=\/|$)/g, '/:id');
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
