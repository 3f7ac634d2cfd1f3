import type { Source } from '@tributary/contracts';

/** A row as the read model stores it (what the comparison needs of it). */
export interface StoredRow {
  id: string;
  rawData: unknown;
  /** Its version (`version_at`): the source's updatedAt, else when it was observed. */
  versionAt: string | null;
  deletedAt: string | null;
  /** Lineage: how the event that wrote it observed the record (`_observed_via`). */
  observedVia: string | null;
}

/** A record as the source answers it now. */
export interface SourceRecord {
  id: string;
  record: Record<string, unknown>;
  /** The record's own updatedAt, when it has one. */
  versionAt: string | null;
}

/**
 * `same`: the stored row holds the source's answer; `differs`: some field differs; `missing`: no
 * row; `deleted`: the row is marked deleted although the source lists the record.
 */
export type DriftKind = 'same' | 'differs' | 'missing' | 'deleted';

/** One field whose stored value is not the source's (top-level field of the API record). */
export interface FieldDifference {
  entity: string;
  id: string;
  field: string;
  stored: unknown;
  source: unknown;
}

export interface DriftedRecord {
  entity: string;
  id: string;
  kind: Exclude<DriftKind, 'same'>;
  /** The fields that differ (empty for missing rows). */
  fields: string[];
  storedVersion: string | null;
  sourceVersion: string | null;
  /**
   * The source answers an older version than the stored one (restored from a backup, a clock skew,
   * a webhook with a wrong timestamp): a sync never corrects it, only `--repair` does.
   */
  olderAtSource: boolean;
}

export interface EntityDrift {
  entity: string;
  sampled: number;
  same: number;
  differs: number;
  missing: number;
  deleted: number;
}

export interface DriftReport {
  source: Source;
  /** Requests the sample cost. */
  requests: number;
  sampled: number;
  entities: EntityDrift[];
  /** Every sampled record that is not `same`. */
  drifted: DriftedRecord[];
  differences: FieldDifference[];
  verdict: 'clean' | 'drift';
}

/** JSON with object keys sorted: two values are the same data iff their canonical texts are equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const asObject = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The top-level fields whose values differ (a field absent on one side counts as null there). Pure. */
export function differingFields(stored: unknown, source: Record<string, unknown>): string[] {
  const s = asObject(stored);
  const keys = [...new Set([...Object.keys(source), ...Object.keys(s)])].sort();
  return keys.filter((k) => canonical(s[k]) !== canonical(source[k]));
}

const ms = (iso: string | null): number => (iso === null ? NaN : Date.parse(iso));

/** One sampled record against its stored row. Pure. */
export function compareRecord(
  entity: string,
  source: SourceRecord,
  stored: StoredRow | undefined,
): { kind: DriftKind; drifted: DriftedRecord | null; differences: FieldDifference[] } {
  const base = {
    entity,
    id: source.id,
    storedVersion: stored?.versionAt ?? null,
    sourceVersion: source.versionAt,
  };
  if (!stored) {
    return {
      kind: 'missing',
      drifted: { ...base, kind: 'missing', fields: [], olderAtSource: false },
      differences: [],
    };
  }
  const fields = differingFields(stored.rawData, source.record);
  const olderAtSource = ms(source.versionAt) < ms(stored.versionAt);
  const s = asObject(stored.rawData);
  const differences = fields.map((field) => ({
    entity,
    id: source.id,
    field,
    stored: s[field] ?? null,
    source: source.record[field] ?? null,
  }));
  const kind: DriftKind = stored.deletedAt !== null ? 'deleted' : fields.length > 0 ? 'differs' : 'same';
  return {
    kind,
    drifted: kind === 'same' ? null : { ...base, kind, fields, olderAtSource },
    differences,
  };
}

/** The report of the sampled records of each entity against their stored rows. Pure. */
export function driftReport(
  source: Source,
  samples: readonly {
    entity: string;
    records: readonly SourceRecord[];
    stored: ReadonlyMap<string, StoredRow>;
  }[],
  requests: number,
): DriftReport {
  const entities: EntityDrift[] = [];
  const drifted: DriftedRecord[] = [];
  const differences: FieldDifference[] = [];
  for (const sample of samples) {
    const tally: EntityDrift = {
      entity: sample.entity,
      sampled: 0,
      same: 0,
      differs: 0,
      missing: 0,
      deleted: 0,
    };
    for (const record of sample.records) {
      const c = compareRecord(sample.entity, record, sample.stored.get(record.id));
      tally.sampled++;
      tally[c.kind]++;
      if (c.drifted) drifted.push(c.drifted);
      differences.push(...c.differences);
    }
    entities.push(tally);
  }
  const sampled = entities.reduce((n, e) => n + e.sampled, 0);
  return {
    source,
    requests,
    sampled,
    entities,
    drifted,
    differences,
    verdict: drifted.length > 0 ? 'drift' : 'clean',
  };
}
