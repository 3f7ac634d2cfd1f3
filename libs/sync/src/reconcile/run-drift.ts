import { type RecordObserved, type Source } from '@tributary/contracts';
import { addDays, isoDay, ValidationError } from '@tributary/core';
import type { JsonGetter } from '../fetchers';
import { driftReport, type DriftReport, type SourceRecord, type StoredRow } from './drift';
import { REPCARD_MAX_PER_PAGE, sampleAtSource } from './drift-sample';
import { DRIFT_TARGETS, driftTargets, type DriftTarget } from './drift-targets';

/** The most records a drift sample may ask for per entity. */
export const MAX_DRIFT_SAMPLE = 10_000;

/** What a drift sample reads: how many records per entity, of which entities (default all). */
export interface DriftOptions {
  size: number;
  entities?: readonly string[];
}

export interface DriftDeps {
  client: JsonGetter;
  stored: {
    rows(
      table: string,
      key: { column: string; type: 'bigint' | 'text' },
      ids: readonly string[],
    ): Promise<Map<string, StoredRow>>;
    count(table: string): Promise<number>;
  };
  now: () => Date;
  /** RepCard: the first day a full sync reads (REPCARD_HISTORY_START). */
  historyStart: string;
  /** CuraGenesis page size. */
  pageSize: number;
  random?: () => number;
  signal?: AbortSignal;
}

/** One entity's sample: the source's records (a repair writes them). */
export interface DriftSample {
  entity: string;
  records: SourceRecord[];
}

/** Checks the options against the source's entities; throws ValidationError naming the option. */
export function driftTargetsFor(source: Source, options: DriftOptions): DriftTarget[] {
  if (!Number.isInteger(options.size) || options.size < 1 || options.size > MAX_DRIFT_SAMPLE)
    throw new ValidationError(`sample: a whole number of records from 1 to ${MAX_DRIFT_SAMPLE}`, {
      details: { field: 'sample' },
    });
  const known = DRIFT_TARGETS[source].map((t) => t.entity);
  const unknown = (options.entities ?? []).filter((e) => !known.includes(e));
  if (unknown.length > 0)
    throw new ValidationError(`entities: ${unknown.join(', ')} not one of ${known.join(', ')}`, {
      details: { field: 'entities' },
    });
  return driftTargets(source, options.entities);
}

/** Pure: the requests a sample costs at most (printed before any is made). */
export function driftRequests(source: Source, options: DriftOptions, pageSize: number): number {
  const pages = (perPage: number) => Math.ceil(options.size / Math.min(options.size, perPage));
  return driftTargetsFor(source, options).reduce((n, t) => {
    if (t.read.kind === 'pages') return n + pages(REPCARD_MAX_PER_PAGE);
    if (t.read.kind === 'cursor') return n + pages(pageSize);
    // One practices page, then one financials request per practice until the sample is full.
    return n + 1 + Math.min(options.size, pageSize);
  }, 0);
}

/**
 * The drift report (issue 13 item 3): a sample of each entity read from the source, each record
 * compared with its stored row (field by field, and versions). Returns the report and the samples.
 */
export async function runDriftSample(
  source: Source,
  options: DriftOptions,
  deps: DriftDeps,
): Promise<{ report: DriftReport; samples: DriftSample[] }> {
  const targets = driftTargetsFor(source, options);
  const dates = { from: deps.historyStart, to: addDays(isoDay(deps.now()), 1) };
  let requests = 0;
  const samples: DriftSample[] = [];
  const compared: { entity: string; records: SourceRecord[]; stored: Map<string, StoredRow> }[] = [];
  for (const target of targets) {
    const sample = await sampleAtSource(source, target, deps.client, {
      size: options.size,
      storedRows: await deps.stored.count(target.table),
      random: deps.random ?? Math.random,
      dates,
      pageSize: deps.pageSize,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    requests += sample.requests;
    const stored = await deps.stored.rows(
      target.table,
      { column: target.key, type: target.keyType },
      sample.records.map((r) => r.id),
    );
    samples.push({ entity: target.entity, records: sample.records });
    compared.push({ entity: target.entity, records: sample.records, stored });
  }
  return { report: driftReport(source, compared, requests), samples };
}

/**
 * Pure: the repair events of a report's drifted records: the source's answer as a RecordObserved
 * with origin `repair`, which the projector writes even when its version is older than the stored
 * one (ADR 0024). `newId` gives each event its id (randomUUID).
 */
export function repairEvents(
  source: Source,
  report: DriftReport,
  samples: readonly DriftSample[],
  now: Date,
  newId: () => string,
): RecordObserved[] {
  const byKey = new Map(samples.flatMap((s) => s.records.map((r) => [`${s.entity}/${r.id}`, r] as const)));
  return report.drifted.flatMap((d) => {
    const record = byKey.get(`${d.entity}/${d.id}`);
    if (!record) return [];
    return [
      {
        type: 'RecordObserved' as const,
        version: 2 as const,
        eventId: newId(),
        source,
        entity: d.entity,
        id: d.id,
        payload: record.record,
        observedAt: now.toISOString(),
        sourceUpdatedAt: record.versionAt,
        syncId: null,
        origin: 'repair' as const,
        deliveryId: null,
      },
    ];
  });
}
