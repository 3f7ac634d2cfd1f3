import { z } from 'zod';
import { ConfigError } from '@tributary/core';
import { ENTITIES, ENTITY_SHARE, PARENT, type EntityCounts, type RepcardEntity } from './entities';
import { faultsSchema, type ResolvedFaults, type SimFaults } from './faults';

export const MAX_SIZE = 10_000_000;
export const DEFAULT_NOW = new Date('2026-01-01T00:00:00Z');

/** Which timestamp `from_date`/`to_date` select on (customers use their own two filters). */
export type DateFilterField = 'createdAt' | 'updatedAt';

export interface RepcardSimulatorOptions {
  /** Seed of all generated data (any safe integer). Default 42. */
  seed?: number;
  /** Total records across the seven entities (approximately). Default 2 000. */
  size?: number;
  /** Explicit counts per entity; entities left out are derived from `size`. */
  counts?: Partial<EntityCounts>;
  /** The one accepted `x-api-key`. Default 'sim-repcard-key'. */
  apiKey?: string;
  /** Requests per fixed window per API key. Default 100. */
  rateLimit?: number;
  /** Fixed window length. Default 60 000 ms. */
  ratePeriodMs?: number;
  /** Initial latency (also settable as a fault). */
  latencyMs?: number;
  latencyJitterMs?: number;
  /** Largest `per_page` honoured. Default 250. */
  perPageMax?: number;
  /** Initial faults. */
  faults?: SimFaults;
  /** The simulated "now": the data spans the two years before it. Default 2026-01-01T00:00:00Z. */
  now?: Date | string;
  /** Field `from_date`/`to_date` filter on. Default 'updatedAt'. */
  dateFilterField?: DateFilterField;
  /** Add `Retry-After` (seconds to the window's end) to 429 answers. Default false (RepCard sends none). */
  sendRetryAfter?: boolean;
  /** Answer 422 when `from_date`/`to_date` are missing where documented as required. Default false. */
  requireDateFilters?: boolean;
  /** Wall clock in ms for rate-limit windows (tests). Default Date.now. */
  clock?: () => number;
}

export interface SimConfig {
  seed: number;
  /** Counts of the generated (base) data set, before any mutation. */
  counts: EntityCounts;
  apiKey: string;
  rateLimit: number;
  ratePeriodMs: number;
  perPageMax: number;
  defaultPerPage: number;
  now: Date;
  dateFilterField: DateFilterField;
  sendRetryAfter: boolean;
  requireDateFilters: boolean;
}

const countSchema = z.int().min(0).max(MAX_SIZE);
const optionsSchema = z.object({
  seed: z.int().default(42),
  size: countSchema.default(2_000),
  counts: z.partialRecord(z.enum(ENTITIES), countSchema).default({}),
  apiKey: z.string().min(1).default('sim-repcard-key'),
  rateLimit: z.int().min(1).default(100),
  ratePeriodMs: z.int().min(1).default(60_000),
  latencyMs: z.int().min(0).optional(),
  latencyJitterMs: z.int().min(0).optional(),
  perPageMax: z.int().min(1).default(250),
  faults: faultsSchema.default({}),
  now: z.union([z.date(), z.iso.datetime({ offset: true })]).default(DEFAULT_NOW),
  dateFilterField: z.enum(['createdAt', 'updatedAt']).default('updatedAt'),
  sendRetryAfter: z.boolean().default(false),
  requireDateFilters: z.boolean().default(false),
});

/** Splits `size` over the entities (users 1 %, offices 0.1 % but at least 3, ...), then applies overrides. */
export function countsFor(size: number, overrides: Partial<EntityCounts> = {}): EntityCounts {
  const share = (entity: keyof typeof ENTITY_SHARE): number => Math.floor(size * ENTITY_SHARE[entity]);
  const derived = {
    users: Math.max(1, Math.round(size * ENTITY_SHARE.users)),
    offices: Math.max(3, Math.round(size * ENTITY_SHARE.offices)),
    customers: share('customers'),
    appointments: share('appointments'),
    status_logs: share('status_logs'),
    customer_attachments: share('customer_attachments'),
  };
  const taken = Object.values(derived).reduce((a, b) => a + b, 0);
  const counts: EntityCounts = { ...derived, appointment_attachments: Math.max(0, size - taken) };
  return { ...counts, ...overrides };
}

function checkParents(counts: EntityCounts): void {
  for (const entity of ENTITIES) {
    const parent = PARENT[entity] as RepcardEntity | undefined;
    if (parent && counts[entity] > 0 && counts[parent] === 0) {
      throw new ConfigError('counts', `${entity} need at least one ${parent} (records point at them)`);
    }
  }
}

export function resolveOptions(options: RepcardSimulatorOptions): {
  config: SimConfig;
  faults: ResolvedFaults;
} {
  const { clock: _clock, ...rest } = options;
  const parsed = optionsSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`options.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  const o = parsed.data;
  const counts = countsFor(o.size, o.counts);
  checkParents(counts);
  const faults: ResolvedFaults = {
    ...(o.latencyMs === undefined ? {} : { latencyMs: o.latencyMs }),
    ...(o.latencyJitterMs === undefined ? {} : { latencyJitterMs: o.latencyJitterMs }),
    ...o.faults,
  };
  const config: SimConfig = {
    seed: o.seed,
    counts,
    apiKey: o.apiKey,
    rateLimit: o.rateLimit,
    ratePeriodMs: o.ratePeriodMs,
    perPageMax: o.perPageMax,
    defaultPerPage: Math.min(100, o.perPageMax),
    now: new Date(o.now),
    dateFilterField: o.dateFilterField,
    sendRetryAfter: o.sendRetryAfter,
    requireDateFilters: o.requireDateFilters,
  };
  return { config, faults };
}
