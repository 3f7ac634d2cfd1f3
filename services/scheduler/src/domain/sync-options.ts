import { z } from 'zod';
import { ValidationError } from '@tributary/core';
import {
  firstSyncOptionIssue,
  skipFlagOwner,
  strictFlag,
  syncOptionIssueField,
  syncOptionNames,
  syncOptionsSchema,
  windowDate,
  type Source,
  type SyncOptionFields,
  type SyncOptions,
} from '@tributary/contracts';

/** Who may ask through HTTP: a script or tool (`api`), or a person pressing Sync Now (`manual`). */
export const HTTP_TRIGGERS = ['api', 'manual'] as const;
export type HttpTrigger = (typeof HTTP_TRIGGERS)[number];

/** What an admin API request asks for, ready for `newSyncCommand`. */
export interface SyncRequestOptions extends SyncOptions {
  trigger: HttpTrigger;
  requestedBy: string;
}

const MAX_REQUESTED_BY = 100;

/**
 * The sync options as the admin API reads them: a flag is JSON true/false or a query string
 * "true"/"false"/"1"/"0" ("" or a bare name = true); a date may come padded, and "" = open.
 */
const QUERY_FIELDS: SyncOptionFields = {
  flag: z.union(
    [
      strictFlag,
      z
        .string()
        .trim()
        .pipe(z.stringbool({ truthy: ['true', '1', ''], falsy: ['false', '0'] })),
    ],
    { error: (iss) => `must be true or false (given ${JSON.stringify(iss.input)})` },
  ),
  date: z.preprocess((v) => (typeof v === 'string' ? v.trim() || null : v), windowDate),
};

/** Who asks: `trigger` (api | manual, default api) and `requestedBy` (default per trigger). */
const RequesterSchema = z.strictObject({
  trigger: z
    .string({ error: (iss) => `must be a string (given ${JSON.stringify(iss.input)})` })
    .trim()
    .pipe(
      z.enum(HTTP_TRIGGERS, {
        error: (iss) => `must be one of ${HTTP_TRIGGERS.join(', ')} (given "${String(iss.input)}")`,
      }),
    )
    .optional(),
  requestedBy: z
    .string({ error: (iss) => `must be a string (given ${JSON.stringify(iss.input)})` })
    .trim()
    .min(1, `must be 1..${MAX_REQUESTED_BY} characters`)
    .max(MAX_REQUESTED_BY, `must be 1..${MAX_REQUESTED_BY} characters`)
    .optional(),
});

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, { details: { field } });
}

/** The ValidationError of a refused request, naming the field in the message and in `details.field`. */
function refusal(source: Source, error: z.ZodError): ValidationError {
  const issue = firstSyncOptionIssue(error);
  const field = syncOptionIssueField(issue);
  if (issue.code !== 'unrecognized_keys') return invalid(field, issue.message);
  const owner = skipFlagOwner(field);
  return invalid(
    field,
    owner && owner !== source
      ? `not an option of ${source} (it is one of ${owner})`
      : `unknown option (known: ${[...syncOptionNames(source), ...Object.keys(RequesterSchema.shape)].join(', ')})`,
  );
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
 * comprehensive-sync endpoint took them): the source's sync options (`syncOptionsSchema` of
 * @tributary/contracts: `incremental`, `startDate`/`endDate`, the skip flags, `force`), and
 * `trigger` (api | manual) and `requestedBy`. Throws ValidationError naming the field (in the
 * message and in `details.field`).
 */
export function parseSyncOptions(
  source: Source,
  raw: Record<string, unknown>,
  defaults: { requestedBy: Record<HttpTrigger, string> },
): SyncRequestOptions {
  const { trigger, requestedBy, ...rest } = raw;
  const options = syncOptionsSchema(source, QUERY_FIELDS).safeParse(rest);
  if (!options.success) throw refusal(source, options.error);
  const requester = RequesterSchema.safeParse({ trigger, requestedBy });
  if (!requester.success) throw refusal(source, requester.error);
  const chosen = requester.data.trigger ?? 'api';
  return {
    ...options.data,
    trigger: chosen,
    requestedBy: requester.data.requestedBy ?? defaults.requestedBy[chosen],
  };
}
