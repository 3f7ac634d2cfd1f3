import { entitiesOf, type Source } from '@tributary/contracts';
import { isoDay, ValidationError } from '@tributary/core';
import { planCuragenesis, planRepcard, type ReconcilePlan } from './plan';
import type { ReadModelCounter } from './report';
import type { SourceAccess } from './source-access';
import { defaultSince, WINDOW_SIZES, type WindowSize } from './windows';

export interface ReportRequest {
  by?: string;
  /** `YYYY-MM-DD` or `YYYY-MM`. */
  since?: string;
  entities?: readonly string[];
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, { details: { field } });
}

/**
 * The plan of a report as the CLI and the admin API take it: checks the options (a
 * ValidationError names the field), fills the defaults, and for CuraGenesis estimates the walk from
 * the practices the read model holds.
 */
export async function planReport(
  source: Source,
  request: ReportRequest,
  deps: { access: Pick<SourceAccess, 'repcard' | 'curagenesis'>; readModel: ReadModelCounter; now: Date },
): Promise<ReconcilePlan> {
  const by = (request.by ?? 'month') as WindowSize;
  if (!WINDOW_SIZES.includes(by))
    throw invalid('by', `${request.by} is not one of ${WINDOW_SIZES.join(', ')}`);
  const since = request.since === undefined ? defaultSince(by, deps.now) : sinceDate(request.since);
  if (since > isoDay(deps.now)) throw invalid('since', `${since} is in the future`);
  const all = entitiesOf(source) as readonly string[];
  const unknown = (request.entities ?? []).filter((e) => !all.includes(e));
  if (unknown.length > 0)
    throw invalid('entities', `${unknown.join(', ')}: not an entity of ${source} (${all.join(', ')})`);
  const entities = request.entities;
  if (source === 'repcard')
    return planRepcard({ by, since, now: deps.now, ...deps.access.repcard, entities });
  return planCuragenesis({
    by,
    since,
    now: deps.now,
    pageSize: deps.access.curagenesis.pageSize,
    knownPractices: await deps.readModel.count('curagenesis_practices', null),
    entities,
  });
}

function sinceDate(value: string): string {
  const date = /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(date) && isoDay(new Date(Date.parse(`${date}T00:00:00Z`) || 0)) === date;
  if (!ok) throw invalid('since', `${value} is not a date YYYY-MM-DD (or a month YYYY-MM)`);
  return date;
}
