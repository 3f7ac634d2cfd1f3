/** Request and fault counters of the simulator (served at GET /__sim/stats). */

export type StatsEndpoint = 'practices' | 'financials' | 'other';
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
export type FaultKind = 'latency' | 'burst' | 'malformed' | 'changeDuringSync';

export interface SimStats {
  /** API requests (admin requests are not counted). */
  total: number;
  requests: Record<StatsEndpoint, number>;
  statusClasses: Record<StatusClass, number>;
  /** Per endpoint and exact status, e.g. { practices: { '200': 12, '503': 3 } }. */
  statuses: Record<StatsEndpoint, Record<string, number>>;
  faults: Record<FaultKind, number>;
}

export function emptyStats(): SimStats {
  return {
    total: 0,
    requests: { practices: 0, financials: 0, other: 0 },
    statusClasses: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
    statuses: { practices: {}, financials: {}, other: {} },
    faults: { latency: 0, burst: 0, malformed: 0, changeDuringSync: 0 },
  };
}

export class StatsRecorder {
  private stats = emptyStats();

  request(endpoint: StatsEndpoint): void {
    this.stats.total++;
    this.stats.requests[endpoint]++;
  }

  status(endpoint: StatsEndpoint, status: number): void {
    const cls = `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx` as StatusClass;
    this.stats.statusClasses[cls]++;
    const byStatus = this.stats.statuses[endpoint];
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  }

  fault(kind: FaultKind, count = 1): void {
    this.stats.faults[kind] += count;
  }

  snapshot(): SimStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = emptyStats();
  }
}
