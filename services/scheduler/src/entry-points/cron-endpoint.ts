import type { Express, RequestHandler } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { SOURCES, type Source, type SyncMode } from '@tributary/contracts';
import { TributaryError, ValidationError } from '@tributary/core';
import { recordAudit, safeEqual } from '@tributary/auth';
import type { Logger } from '@tributary/observability';
import { newSyncCommand } from '@tributary/sync';
import type { SyncRequester, SyncRequestOutcome } from '../domain/sync-requester';
import { unsafeRequestGuard } from './security/guards';
import { rateLimitPerMinute } from './security/rate-limit';

export const CronBody = z.strictObject({
  /** incremental (default) or full. */
  mode: z.enum(['incremental', 'full']).optional(),
  /** The sources to sync; default: SCHEDULE_SOURCES. */
  sources: z.array(z.enum(SOURCES)).min(1).max(SOURCES.length).optional(),
  /**
   * The slot this call stands for (the scheduler's scheduled time, e.g. EventBridge's
   * `<aws.scheduler.scheduled-time>`); default: the current minute. One slot requests at most once.
   */
  slot: z.iso.datetime({ offset: true }).optional(),
});

export interface CronEndpointOptions {
  pool: Pool;
  requester: SyncRequester;
  cronSecret: string | undefined;
  sources: readonly Source[];
  logger: Logger;
  now?: () => Date;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The caller must send `Authorization: Bearer <CRON_SECRET>` (constant-time compare); refused without a configured secret. */
function requireCronSecret(secret: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (secret === undefined) {
      return next(
        new TributaryError('CRON_NOT_CONFIGURED', 'the cron endpoint is off: CRON_SECRET is not set'),
      );
    }
    const given = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (given === undefined || !safeEqual(given, secret)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="tributary-cron"');
      return next(
        new TributaryError('UNAUTHORIZED', 'this route requires Authorization: Bearer <CRON_SECRET>'),
      );
    }
    next();
  };
}

/**
 * `POST /api/cron/sync`: for schedulers outside (Kubernetes CronJob, AWS EventBridge). Requests a
 * sync of each source for the slot, idempotently: a repeated call for the same slot (a retry)
 * answers the syncs that slot got and requests nothing; a source with a sync queued or running is
 * coalesced with it.
 */
export function mountCronEndpoint(app: Express, options: CronEndpointOptions): void {
  const { pool, requester, logger } = options;
  const now = options.now ?? (() => new Date());
  app.post(
    '/api/cron/sync',
    requireCronSecret(options.cronSecret),
    rateLimitPerMinute('cron', 60),
    unsafeRequestGuard(),
    async (req, res) => {
      const parsed = CronBody.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = String(issue.path[0] ?? 'body');
        throw new ValidationError(`${field}: ${issue.message}`, { details: { field } });
      }
      const mode: SyncMode = parsed.data.mode ?? 'incremental';
      const slotAt = parsed.data.slot ? new Date(parsed.data.slot) : now();
      slotAt.setUTCSeconds(0, 0);
      const slot = slotAt.toISOString();
      const syncs: (Omit<SyncRequestOutcome, 'command'> & { source: Source })[] = [];
      for (const source of parsed.data.sources ?? options.sources) {
        const command = newSyncCommand({
          source,
          mode,
          trigger: 'schedule',
          requestedBy: 'cron',
          now: slotAt,
        });
        const { command: _published, ...outcome } = await requester.request(command, {
          cronSlot: `${slot}/${source}/${mode}`,
        });
        syncs.push({ source, ...outcome });
        if (!outcome.duplicate) {
          await recordAudit(pool, {
            actor: 'cron',
            credential: 'cron',
            action: 'sync.request',
            target: source,
            outcome: outcome.coalesced ? 'coalesced' : 'ok',
            details: { syncId: outcome.syncId, mode, slot },
          });
        }
        logger.info(
          'admin.sync_requested',
          `cron endpoint: ${mode} sync of ${source} for ${slot}: ${outcome.syncId}`,
          {
            source,
            mode,
            slot,
            syncId: outcome.syncId,
            coalesced: outcome.coalesced,
            duplicate: outcome.duplicate,
          },
        );
      }
      res.status(syncs.every((s) => s.duplicate) ? 200 : 202).json({ slot, mode, syncs });
    },
  );
}
