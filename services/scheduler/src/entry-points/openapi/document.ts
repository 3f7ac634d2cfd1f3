import { z } from 'zod';
import {
  SOURCES,
  WEBHOOK_ENDPOINTS,
  GenericOrderPlacedBodySchema,
  GenericPracticeUpdateBodySchema,
} from '@tributary/contracts';
import { LoginBody } from '../session-api';
import { CronBody } from '../cron-endpoint';
import * as S from './schemas';
import * as K from './kpis-schemas';
import { RepsQuery } from '../kpis-api';
import { DriftQuery, RepairBody } from '../drift-route';
import { ReconcileQuery } from '../reconcile-route';
import { DriftAnswer, RepairAnswer } from './drift-schemas';
import { ReconcileAnswer } from './reconcile-schemas';

/**
 * The OpenAPI 3.1 document of the admin API, the session routes, the cron endpoint and (served by
 * the webhook gateway, described here) the webhook endpoints, generated from the zod schemas the
 * routes parse with (`z.toJSONSchema`: JSON Schema 2020-12, what OpenAPI 3.1 uses).
 */
type Json = Record<string, unknown>;

const schema = (s: z.ZodType): Json =>
  z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
const outSchema = (s: z.ZodType): Json =>
  z.toJSONSchema(s, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
const json = (s: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: outSchema(s) } },
});
const error = (description: string) => json(S.ErrorBody, description);
const body = (s: z.ZodType, required = true) => ({
  required,
  content: { 'application/json': { schema: schema(s) } },
});

const secured = (...codes: number[]) => ({
  401: error('no credential, or a wrong one'),
  403: error('the role does not allow it, another origin, or a missing CSRF token'),
  ...Object.fromEntries(codes.map((c) => [c, error(DESCRIPTIONS[c] ?? 'refused')])),
});
const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid options (names the field)',
  404: 'no such source or run',
  409: 'the run has already ended (details.runStatus: its status)',
  415: 'a body that is not JSON',
  429: 'rate limited (Retry-After)',
  500: 'the broker refused the command',
  503: 'Kafka or PostgreSQL unavailable: retry',
};
const sourceParam = {
  name: 'source',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: [...SOURCES] },
};
const auth = [{ bearer: [] }, { session: [] }];

function syncPost(summary: string, withSource: boolean): Json {
  return {
    summary,
    security: auth,
    tags: ['syncs'],
    ...(withSource ? { parameters: [sourceParam] } : {}),
    requestBody: body(S.SyncRequestBody, false),
    responses: {
      202: json(S.SyncAccepted, 'requested (on Kafka), or coalesced with the queued or running sync'),
      ...secured(400, 404, 415, 429, 503),
    },
  };
}

const read = (summary: string, answer: z.ZodType, extra: Json = {}): Json => ({
  summary,
  security: auth,
  ...extra,
  responses: { 200: json(answer, 'ok'), ...secured(404) },
});

/** `GET /api/kpis/reps`: its query parameters come from the zod schema the route parses with. */
function repsGet(): Json {
  const props = (schema(RepsQuery).properties ?? {}) as Record<string, Json>;
  return {
    summary: 'RepCard reps ranked by appointments set, then customers, over the last days (viewer)',
    security: auth,
    parameters: Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })),
    responses: { 200: json(K.RepPerformance, 'ok'), ...secured(400) },
  };
}

/** `GET /api/admin/reconcile/{source}`: the completeness report, its query from the route's zod schema. */
function reconcileGet(): Json {
  const props = (schema(ReconcileQuery).properties ?? {}) as Record<string, Json>;
  return {
    summary:
      "completeness report: the source's counts against the read model per entity and window (operator)",
    security: auth,
    parameters: [
      sourceParam,
      ...Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })),
    ],
    responses: {
      200: json(ReconcileAnswer, 'the plan, and the report unless dryRun'),
      ...secured(400, 404, 503),
    },
  };
}

/** The drift report and repair (drift-route.ts, ADR 0024), operator. */
function driftPaths(): Json {
  const props = (schema(DriftQuery).properties ?? {}) as Record<string, Json>;
  return {
    '/api/admin/reconcile/{source}/drift': {
      get: {
        summary:
          'drift report: N records per entity read from the source and compared with the stored rows (operator)',
        security: auth,
        parameters: [
          sourceParam,
          ...Object.entries(props).map(([name, s]) => ({
            name,
            in: 'query',
            required: name === 'sample',
            schema: s,
          })),
        ],
        responses: {
          200: json(DriftAnswer, 'the plan, and the report unless dryRun'),
          ...secured(400, 404, 503),
        },
      },
    },
    '/api/admin/reconcile/{source}/repair': {
      post: {
        summary:
          "drift report, then the source's answer of each drifted record published as a repair event (operator)",
        security: auth,
        parameters: [sourceParam],
        requestBody: body(RepairBody),
        responses: {
          200: json(RepairAnswer, 'the report and how many repairs were published'),
          ...secured(400, 404, 415, 503),
        },
      },
    },
  };
}

function webhookPost(endpoint: string): Json {
  const bodySchema =
    endpoint === 'order-placed' ? GenericOrderPlacedBodySchema : GenericPracticeUpdateBodySchema;
  const header = (name: string, description: string) => ({
    name,
    in: 'header',
    required: true,
    description,
    schema: { type: 'string' },
  });
  return {
    summary: `CuraGenesis ${endpoint} webhook (served by the webhook gateway, Standard Webhooks signature)`,
    tags: ['webhooks'],
    servers: [{ url: '{gateway}', variables: { gateway: { default: 'http://127.0.0.1:3001' } } }],
    parameters: [
      header('webhook-id', 'the delivery id (dedup key)'),
      header('webhook-timestamp', 'seconds since the epoch, within the tolerance'),
      header('webhook-signature', 'v1,<base64 HMAC-SHA256 of id.timestamp.body>'),
    ],
    requestBody: body(bodySchema),
    responses: {
      202: json(S.WebhookAnswer, 'verified and on Kafka'),
      200: json(S.WebhookAnswer, 'a delivery already accepted'),
      400: error('not JSON or not a known shape'),
      401: error('bad or missing signature, or a timestamp out of tolerance'),
      413: error('body too large'),
      429: error('overloaded (Retry-After)'),
      503: error('Kafka or the dedup store did not take it in time (Retry-After)'),
    },
  };
}

export function openApiDocument(): Json {
  const webhookPaths = Object.fromEntries(
    WEBHOOK_ENDPOINTS.map((e) => [`/api/webhooks/curagenesis/${e}`, { post: webhookPost(e) }]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tributary admin API',
      version: '1',
      description:
        'Roles: viewer reads, operator also requests syncs, admin also reads the audit log. Authenticate with `Authorization: Bearer <API token>` (`tributary tokens create`) or the dashboard session cookie plus `X-CSRF-Token` on state-changing requests.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token (trb_...)' },
        session: { type: 'apiKey', in: 'cookie', name: 'tributary_session' },
        cronSecret: { type: 'http', scheme: 'bearer', description: 'CRON_SECRET' },
      },
    },
    paths: {
      '/api/admin/sync/{source}': {
        post: syncPost('request a sync of a source (operator)', true),
        get: read('the latest runs of a source (viewer)', S.SourceRuns, { parameters: [sourceParam] }),
      },
      '/api/admin/repcard/comprehensive-sync': {
        post: syncPost('the old endpoint: request a RepCard sync (operator)', false),
        get: read("the old endpoint: RepCard's runs (viewer)", S.SourceRuns),
      },
      '/api/admin/sync/runs/{syncId}': {
        get: read('one run with its entities (viewer)', S.Run, {
          parameters: [{ name: 'syncId', in: 'path', required: true, schema: { type: 'string' } }],
        }),
      },
      '/api/admin/sync/runs/{syncId}/cancel': {
        post: {
          summary:
            'cancel a queued or running sync (operator): it stops at its next page, marked cancelled with its counts so far, never resumed',
          security: auth,
          tags: ['syncs'],
          parameters: [{ name: 'syncId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(z.strictObject({}).describe('no options'), false),
          responses: {
            202: json(S.CancelAccepted, 'the cancel is on Kafka; the run ends `cancelled` shortly'),
            ...secured(400, 404, 409, 415, 429, 503),
          },
        },
      },
      '/api/admin/schedule': { get: read('the schedule and its next firing (viewer)', S.Schedule) },
      '/api/admin/audit': { get: read('the latest audit rows (admin)', S.AuditLog) },
      '/api/kpis': { get: read('read-model counts and KPIs (viewer)', S.Kpis) },
      '/api/kpis/geography': {
        get: read('customers and practices by US state, ranked (viewer)', K.Geography),
      },
      '/api/kpis/reps': { get: repsGet() },
      '/api/admin/reconcile/{source}': { get: reconcileGet() },
      ...driftPaths(),
      '/api/kpis/freshness': {
        get: read('per entity: last successful sync, rows, newest row; the DLQ count (viewer)', K.Freshness),
      },
      '/api/session': {
        post: {
          summary: 'sign in: sets the session cookie, answers the CSRF token',
          security: [],
          requestBody: body(LoginBody),
          responses: {
            200: json(S.SessionInfo, 'signed in'),
            400: error('no username or password'),
            401: error('wrong username or password'),
            403: error('another origin'),
            415: error('not JSON'),
            429: error('rate limited'),
          },
        },
        get: read('who is signed in (any role)', S.SessionInfo),
        delete: {
          summary: 'sign out',
          security: auth,
          responses: { 204: { description: 'signed out' }, ...secured() },
        },
      },
      '/api/cron/sync': {
        post: {
          summary: "external cron: request the slot's syncs (idempotent per slot)",
          security: [{ cronSecret: [] }],
          requestBody: body(CronBody, false),
          responses: {
            202: json(S.CronAnswer, 'requested or coalesced'),
            200: json(S.CronAnswer, 'this slot was already called: the same syncs, nothing requested'),
            400: error('invalid body'),
            401: error('missing or wrong CRON_SECRET'),
            403: error('CRON_SECRET is not configured'),
            415: error('not JSON'),
            429: error('rate limited'),
            503: error('Kafka or PostgreSQL unavailable: retry'),
          },
        },
      },
      '/api/events': {
        get: {
          summary: 'live read-model changes as Server-Sent Events (viewer)',
          security: auth,
          responses: {
            200: {
              description: 'an event stream',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...secured(),
          },
        },
      },
      ...webhookPaths,
    },
  };
}
