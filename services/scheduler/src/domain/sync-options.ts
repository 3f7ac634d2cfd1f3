import { ValidationError } from '@tributary/core';
import { CURAGENESIS_ENTITIES, REPCARD_ENTITIES, type Source, type SyncMode } from '@tributary/contracts';

/** Who may ask through HTTP: a script or tool (`api`), or a person pressing Sync Now (`manual`). */
export const HTTP_TRIGGERS = ['api', 'manual'] as const;
export type HttpTrigger = (typeof HTTP_TRIGGERS)[number];

/** What an admin API request asks for, ready for `newSyncCommand`. */
export interface SyncRequestOptions {
  mode: SyncMode;
  /** In the source's sync order; never empty. */
  entities: string[];
  from: string | null;
  to: string | null;
  force: boolean;
  trigger: HttpTrigger;
  requestedBy: string;
}

/** Skip flags of each source and the entities each one leaves out (the old script's options). */
const SKIP_FLAGS: Readonly<Record<Source, Readonly<Record<string, readonly string[]>>>> = {
  repcard: {
    skipUsers: ['users'],
    skipOffices: ['offices'],
    skipCustomers: ['customers'],
    skipAppointments: ['appointments'],
    skipStatusLogs: ['status_logs'],
    skipCustomerAttachments: ['customer_attachments'],
    skipAppointmentAttachments: ['appointment_attachments'],
    skipAttachments: ['customer_attachments', 'appointment_attachments'],
  },
  curagenesis: {
    skipPractices: ['practices'],
    skipOrders: ['orders'],
  },
};

const ENTITY_ORDER: Readonly<Record<Source, readonly string[]>> = {
  repcard: REPCARD_ENTITIES,
  curagenesis: CURAGENESIS_ENTITIES,
};

const COMMON_OPTIONS = ['incremental', 'startDate', 'endDate', 'force', 'trigger', 'requestedBy'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_REQUESTED_BY = 100;

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, { details: { field } });
}

/** A flag given as JSON true/false or as a query string "true"/"false"/"1"/"0" ("" or bare = true). */
function flag(field: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === '' || v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
  }
  throw invalid(field, `must be true or false (given ${JSON.stringify(value)})`);
}

function date(field: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string')
    throw invalid(field, `must be a date YYYY-MM-DD (given ${JSON.stringify(value)})`);
  const v = value.trim();
  if (v === '') return null;
  const parsed = new Date(`${v}T00:00:00Z`);
  if (!DATE.test(v) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== v) {
    throw invalid(field, `"${v}" is not a date YYYY-MM-DD`);
  }
  return v;
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(field, `must be a string (given ${JSON.stringify(value)})`);
  return value.trim();
}

/**
 * Merges the query string and the JSON body (the body wins for a field in both) into one options
 * object. Repeated query parameters and non-object bodies are refused.
 */
export function mergeRequestOptions(query: unknown, body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (query !== undefined && query !== null && typeof query === 'object') {
    for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
      if (Array.isArray(value)) throw invalid(key, 'given more than once');
      out[key] = value;
    }
  }
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body))
      throw invalid('body', 'must be a JSON object of options');
    Object.assign(out, body);
  }
  return out;
}

/**
 * The options of `POST /api/admin/sync/:source` (query string or JSON body, as the old
 * comprehensive-sync endpoint took them): `incremental`, `startDate`/`endDate` (YYYY-MM-DD, both
 * inclusive), the source's skip flags, `force`, `trigger` (api | manual) and `requestedBy`.
 * Throws ValidationError naming the field (in the message and in `details.field`).
 */
export function parseSyncOptions(
  source: Source,
  raw: Record<string, unknown>,
  defaults: { requestedBy: Record<HttpTrigger, string> },
): SyncRequestOptions {
  const skips = SKIP_FLAGS[source];
  const known = new Set<string>([...COMMON_OPTIONS, ...Object.keys(skips)]);
  for (const key of Object.keys(raw)) {
    if (known.has(key)) continue;
    const otherSource = (Object.keys(SKIP_FLAGS) as Source[]).find(
      (s) => s !== source && key in SKIP_FLAGS[s],
    );
    throw invalid(
      key,
      otherSource
        ? `not an option of ${source} (it is one of ${otherSource})`
        : `unknown option (known: ${[...known].join(', ')})`,
    );
  }

  const from = raw.startDate === undefined ? null : date('startDate', raw.startDate);
  const to = raw.endDate === undefined ? null : date('endDate', raw.endDate);
  if (from !== null && to !== null && from > to)
    throw invalid('endDate', `${to} is before startDate ${from}`);

  const skipped = new Set<string>();
  for (const [name, entities] of Object.entries(skips)) {
    if (raw[name] !== undefined && flag(name, raw[name])) entities.forEach((e) => skipped.add(e));
  }
  const entities = ENTITY_ORDER[source].filter((e) => !skipped.has(e));
  if (entities.length === 0)
    throw invalid(
      Object.keys(skips).find((k) => raw[k] !== undefined) ?? 'entities',
      'every entity is skipped: nothing to sync',
    );

  let trigger: HttpTrigger = 'api';
  if (raw.trigger !== undefined) {
    const t = text('trigger', raw.trigger);
    if (!(HTTP_TRIGGERS as readonly string[]).includes(t))
      throw invalid('trigger', `must be one of ${HTTP_TRIGGERS.join(', ')} (given "${t}")`);
    trigger = t as HttpTrigger;
  }
  let requestedBy = defaults.requestedBy[trigger];
  if (raw.requestedBy !== undefined) {
    requestedBy = text('requestedBy', raw.requestedBy);
    if (requestedBy.length === 0 || requestedBy.length > MAX_REQUESTED_BY) {
      throw invalid('requestedBy', `must be 1..${MAX_REQUESTED_BY} characters`);
    }
  }

  return {
    mode: raw.incremental !== undefined && flag('incremental', raw.incremental) ? 'incremental' : 'full',
    entities,
    from,
    to,
    force: raw.force !== undefined && flag('force', raw.force),
    trigger,
    requestedBy,
  };
}
