import { z } from 'zod';
import { SKIP_FLAGS, SOURCES } from '@tributary/contracts';
import { ROLES } from '@tributary/auth';
import { HTTP_TRIGGERS } from '../../domain/sync-options';

/** The zod schemas of the admin API's bodies and answers, for the OpenAPI document (ADR 0014). */

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

const skipFlags = Object.fromEntries(
  [...new Set(Object.values(SKIP_FLAGS).flatMap((flags) => Object.keys(flags)))].map((f) => [
    f,
    z
      .boolean()
      .optional()
      .describe(`skip flag (${f in SKIP_FLAGS.repcard ? 'repcard' : 'curagenesis'} only)`),
  ]),
);

const windowDate = z.iso.date().nullable().optional();

export const SyncRequestBody = z
  .strictObject({
    incremental: z.boolean().optional(),
    startDate: windowDate,
    endDate: windowDate,
    force: z.boolean().optional(),
    trigger: z.enum(HTTP_TRIGGERS).optional(),
    ...skipFlags,
  })
  .describe('sync options (JSON only; the query string is refused; requestedBy comes from the credential)');

export const SyncAccepted = z.looseObject({
  syncId: z.string(),
  status: z.enum(['requested', 'queued', 'running']),
  source: z.enum(SOURCES),
  coalesced: z.boolean(),
});

export const CancelAccepted = z.object({
  syncId: z.string(),
  source: z.enum(SOURCES),
  status: z.literal('cancel_requested'),
  state: z
    .enum(['queued', 'running'])
    .describe('queued: it will never run; running: it stops at its next page'),
  requestedBy: z.string(),
  requestedAt: z.string(),
});

const nullableString = z.string().nullable();
const EntityStatus = z.looseObject({
  entityType: z.string(),
  status: z.string(),
  recordsFetched: z.number().nullable(),
  recordsInserted: z.number(),
  errorMessage: nullableString,
});
const Totals = z.object({
  fetched: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  failed: z.number(),
});
export const Run = z.looseObject({
  syncId: z.string(),
  source: z.string(),
  syncType: z.string(),
  trigger: nullableString,
  requestedBy: nullableString,
  status: z.string(),
  startedAt: z.string(),
  completedAt: nullableString,
  entityLogs: z.array(EntityStatus),
  totals: Totals,
});
export const SourceRuns = z.object({ source: z.enum(SOURCES), runs: z.array(Run) });

export const Schedule = z.object({
  enabled: z.boolean(),
  sources: z.array(z.enum(SOURCES)),
  incremental: z.object({ cron: z.string() }),
  full: z.object({ cron: z.string() }),
  next: z.object({ at: z.string(), mode: z.string() }).nullable(),
});

export const Kpis = z.looseObject({
  generatedAt: z.string(),
  tables: z.record(z.string(), z.number()),
  bySource: z.record(z.string(), z.record(z.string(), z.number())),
  lastCompletedSync: z.record(
    z.string(),
    z.looseObject({ syncId: z.string(), status: z.string() }).nullable(),
  ),
  curagenesis: z.looseObject({ totalOrders: z.number() }).nullable(),
});

export const SessionInfo = z.looseObject({
  username: z.string(),
  role: z.enum(ROLES),
  credential: z.string(),
  csrfToken: nullableString,
  demo: z.boolean(),
});

export const AuditLog = z.object({
  entries: z.array(
    z.looseObject({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      credential: z.string(),
      action: z.string(),
      outcome: z.string(),
    }),
  ),
});

export const CronAnswer = z.object({
  slot: z.string(),
  mode: z.enum(['incremental', 'full']),
  syncs: z.array(
    z.looseObject({
      source: z.enum(SOURCES),
      syncId: z.string(),
      status: z.enum(['requested', 'queued', 'running']),
      coalesced: z.boolean(),
      duplicate: z.boolean(),
    }),
  ),
});

export const WebhookAnswer = z.object({ status: z.enum(['accepted', 'duplicate']), deliveryId: z.string() });
