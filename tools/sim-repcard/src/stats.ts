/** What the simulator counts (API requests only; `/__sim` admin calls are not counted). */
export interface SimStats {
  totalRequests: number;
  /** By `METHOD /path` with numeric path segments as `:id`, e.g. `GET /customers/:id/attachments`. */
  byEndpoint: Record<string, number>;
  byStatusClass: { '2xx': number; '4xx': number; '5xx': number };
  byStatusCode: Record<string, number>;
  /** 401 answers. */
  unauthorized: number;
  /** 429 because the client spent its budget. */
  rateLimitViolations: number;
  /** 429 injected by a `rateLimit429Storm` (not the client's fault). */
  injected429: number;
  /** 5xx injected by an `errorBurst`. */
  injected5xx: number;
  /** Requests hung and dropped by `timeoutRate`. */
  timeouts: number;
  /** Records in 2xx answers, and how many of them were malformed. */
  recordsServed: number;
  malformedServed: number;
  inFlight: number;
  maxInFlight: number;
  /** ISO time of the last reset. */
  since: string;
}

export type StatCounter =
  | 'unauthorized'
  | 'rateLimitViolations'
  | 'injected429'
  | 'injected5xx'
  | 'timeouts'
  | 'recordsServed'
  | 'malformedServed';

export class StatsRecorder {
  private stats: SimStats = StatsRecorder.empty(0);

  private static empty(inFlight: number): SimStats {
    return {
      totalRequests: 0,
      byEndpoint: {},
      byStatusClass: { '2xx': 0, '4xx': 0, '5xx': 0 },
      byStatusCode: {},
      unauthorized: 0,
      rateLimitViolations: 0,
      injected429: 0,
      injected5xx: 0,
      timeouts: 0,
      recordsServed: 0,
      malformedServed: 0,
      inFlight,
      maxInFlight: inFlight,
      since: new Date().toISOString(),
    };
  }

  begin(endpoint: string): void {
    const s = this.stats;
    s.totalRequests++;
    s.byEndpoint[endpoint] = (s.byEndpoint[endpoint] ?? 0) + 1;
    s.inFlight++;
    s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
  }

  /** `status` is undefined when the socket was dropped without an answer. */
  end(status: number | undefined): void {
    const s = this.stats;
    s.inFlight = Math.max(0, s.inFlight - 1);
    if (status === undefined) return;
    s.byStatusCode[String(status)] = (s.byStatusCode[String(status)] ?? 0) + 1;
    const cls = `${Math.floor(status / 100)}xx`;
    if (cls === '2xx' || cls === '4xx' || cls === '5xx') s.byStatusClass[cls]++;
  }

  add(counter: StatCounter, n = 1): void {
    this.stats[counter] += n;
  }

  snapshot(): SimStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsRecorder.empty(this.stats.inFlight);
  }
}
