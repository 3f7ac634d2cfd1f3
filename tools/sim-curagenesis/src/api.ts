/**
 * The simulated partner API (everything outside /__sim): latency, auth (configured header, 401
 * `{"error":"unauthorized"}`), error bursts, change-during-sync, then the two endpoints.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { LogEvents, type Logger } from '@tributary/observability';
import type { SimDataset } from './dataset';
import type { Endpoint, FaultState } from './faults';
import { financialsPage, parseFinancialsQuery } from './financials';
import type { Mutation } from './mutations';
import { poisonRecord } from './poison';
import { parsePracticesQuery, practicesPage } from './practices';
import { QueryError } from './query';
import type { StatsEndpoint, StatsRecorder } from './stats';
import type { RecordKind } from './types';

export const PRACTICES_PATH = '/api/partner/v1/practices';
export const FINANCIALS_PATH = '/api/partner/v1/financials';

export interface ApiDeps {
  dataset: SimDataset;
  faults: FaultState;
  stats: StatsRecorder;
  apiKey: string;
  authHeader: string;
  mutate(mutation: Mutation): unknown;
  logger: Logger;
}

function endpointOf(path: string): StatsEndpoint {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === PRACTICES_PATH) return 'practices';
  if (trimmed === FINANCIALS_PATH) return 'financials';
  return 'other';
}

function keyMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function serve(deps: ApiDeps, kind: RecordKind, indexes: number[]): unknown[] {
  const { dataset } = deps;
  let broken = 0;
  const items = indexes.map((i) => {
    const record = kind === 'practice' ? dataset.practice(i) : dataset.order(i);
    const id = 'practiceId' in record ? record.practiceId : record.order_id;
    if (!dataset.malformed.applies(kind, id, i)) {
      const poison = deps.faults.current().poison?.[kind === 'practice' ? 'practices' : 'orders']?.[id];
      return poison === undefined ? record : poisonRecord(kind, record, poison);
    }
    broken++;
    return dataset.malformed.malform(kind, i, record);
  });
  if (broken > 0) deps.stats.fault('malformed', broken);
  return items;
}

function handle(deps: ApiDeps, endpoint: Endpoint, req: Request, res: Response): void {
  const query = req.query as Record<string, unknown>;
  try {
    if (endpoint === 'practices') {
      const page = practicesPage(deps.dataset, parsePracticesQuery(query));
      res.json({
        items: serve(deps, 'practice', page.indexes),
        ...(page.nextCursor && { nextCursor: page.nextCursor }),
      });
    } else {
      const page = financialsPage(deps.dataset, parseFinancialsQuery(query));
      res.json({
        items: serve(deps, 'order', page.indexes),
        ...(page.nextCursor && { nextCursor: page.nextCursor }),
      });
    }
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    res.status(400).json({ error: 'bad_request', message: err.message });
  }
}

/** Express middleware answering every API request (mount after the admin router). */
export function partnerApi(deps: ApiDeps) {
  return async (req: Request, res: Response, _next: NextFunction): Promise<void> => {
    const endpoint = endpointOf(req.path);
    deps.stats.request(endpoint);
    res.on('finish', () => deps.stats.status(endpoint, res.statusCode));
    const latency = deps.faults.latencyMs();
    if (latency > 0) {
      if (deps.faults.current().latency) deps.stats.fault('latency');
      await sleep(latency);
    }
    if (!keyMatches(req.get(deps.authHeader), deps.apiKey)) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    if (endpoint === 'other') {
      res.status(404).json({ error: 'not_found', message: `no route ${req.method} ${req.path}` });
      return;
    }
    if (req.method !== 'GET') {
      res.status(405).set('allow', 'GET').json({ error: 'method_not_allowed' });
      return;
    }
    const burst = deps.faults.burstFor(endpoint);
    if (burst !== undefined) {
      deps.stats.fault('burst');
      res.status(burst).json({ error: 'injected_fault', status: burst });
      return;
    }
    const mutation = deps.faults.mutationDue(endpoint);
    if (mutation) {
      try {
        deps.mutate(mutation);
        deps.stats.fault('changeDuringSync');
      } catch (err) {
        deps.logger.warn(LogEvents.toolStep, 'change-during-sync mutation failed', { err });
      }
    }
    handle(deps, endpoint, req, res);
  };
}
