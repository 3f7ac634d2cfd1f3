/** Query-string helpers shared by the two API endpoints: single values, page sizes, ISO times. */

import { ValidationError } from '@tributary/core';

/** A bad query string: the API answers 400 with this message. */
export class QueryError extends ValidationError {}

export type RawQuery = Record<string, unknown>;

/** The one string value of `name`, undefined when absent; repeated or nested values are an error. */
export function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new QueryError(`${name} must be given once`);
  return value;
}

export function pageSize(query: RawQuery, defaultSize: number, maxSize: number): number {
  const raw = single(query, 'page_size');
  if (raw === undefined) return defaultSize;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new QueryError('page_size must be a positive integer');
  return Math.min(Number(raw), maxSize);
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO date (YYYY-MM-DD, taken as UTC midnight) or date-time; undefined when absent. */
export function isoTime(query: RawQuery, name: string): number | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  const ms = ISO.test(raw)
    ? Date.parse(/T/.test(raw) && !/(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? `${raw}Z` : raw)
    : NaN;
  if (Number.isNaN(ms)) throw new QueryError(`${name} must be an ISO date (YYYY-MM-DD) or date-time`);
  return ms;
}
