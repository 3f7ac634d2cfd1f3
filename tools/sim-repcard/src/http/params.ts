import type { Request } from 'express';
import { ValidationError } from '@tributary/core';
import type { SimConfig } from '../options';
import type { TimeWindow } from '../query';

export function queryString(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}

/** `page` (1-based, default 1) and `per_page` (default 100, capped at perPageMax). */
export function paging(req: Request, config: SimConfig): { page: number; perPage: number } {
  const page = Math.min(positiveInt(queryString(req, 'page')) ?? 1, 1_000_000_000);
  const perPage = Math.min(
    positiveInt(queryString(req, 'per_page')) ?? config.defaultPerPage,
    config.perPageMax,
  );
  return { page, perPage };
}

/** A `YYYY-MM-DD` parameter as UTC midnight in ms; 422 on any other format. */
export function dateParam(req: Request, name: string): number | undefined {
  const text = queryString(req, name);
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new ValidationError(`The ${name.replace(/_/g, ' ')} does not match the format Y-m-d.`);
  }
  return ms;
}

/** `from` inclusive, `to` EXCLUSIVE (records of the `to` day itself are not included). */
export function dateWindow(
  req: Request,
  fromName: string,
  toName: string,
  required = false,
): TimeWindow | undefined {
  const from = dateParam(req, fromName);
  const to = dateParam(req, toName);
  if (required && (from === undefined || to === undefined)) {
    throw new ValidationError(
      `The ${(from === undefined ? fromName : toName).replace(/_/g, ' ')} field is required.`,
    );
  }
  if (from === undefined && to === undefined) return undefined;
  return { fromMs: from ?? -Infinity, toMs: to ?? Infinity };
}

/** `name=1,2,3`, repeated `name=1&name=2` or `name[]=1`; undefined when absent. */
export function idList(req: Request, name: string): number[] | undefined {
  const query = req.query as Record<string, unknown>;
  const raw = [query[name], query[`${name}[]`]].flat().filter((v): v is string => typeof v === 'string');
  if (raw.length === 0) return undefined;
  return raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
}
