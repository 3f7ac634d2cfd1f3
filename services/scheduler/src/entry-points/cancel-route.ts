import type { Express, Request, RequestHandler } from 'express';
import type { Pool } from 'pg';
import { uuid, type SyncCancelRequested } from '@tributary/contracts';
import { TributaryError, ValidationError } from '@tributary/core';
import { recordAudit } from '@tributary/auth';
import type { Logger } from '@tributary/observability';
import { findCancelTarget } from '@tributary/read-model';
import { decideCancel } from '@tributary/sync';
import { principalOf } from './security/principal';

export interface CancelRouteOptions {
  pool: Pool;
  /** Publishes the cancel on `sync.control` (resolves once Kafka acknowledged it). */
  publishCancel(command: SyncCancelRequested): Promise<void>;
  logger: Logger;
  now?: () => Date;
}

/** A cancel takes no options: no query string, and a body (if any) is an empty JSON object. */
function refuseOptions(req: Request): void {
  const query = Object.keys(req.query as object);
  const body: unknown = req.body ?? {};
  const field =
    query[0] ??
    (typeof body !== 'object' || body === null || Array.isArray(body) ? 'body' : Object.keys(body)[0]);
  if (field !== undefined) {
    throw new ValidationError(`${field}: a cancel takes no options`, { details: { field } });
  }
}

/**
 * `POST /api/admin/sync/runs/:syncId/cancel` (operator; a session needs its X-CSRF-Token, as on every
 * state-changing route): 202 once the cancel is on Kafka (the run stops at its next page boundary,
 * or never starts if still queued, ADR 0017), 404 for an id no run or scheduler request has, 409
 * when the run has already ended. Audited as `sync.cancel`.
 */
export function mountCancelRoute(app: Express, guards: RequestHandler[], options: CancelRouteOptions): void {
  const { pool, logger } = options;
  const now = options.now ?? (() => new Date());
  app.post('/api/admin/sync/runs/:syncId/cancel', ...guards, async (req, res) => {
    refuseOptions(req);
    const principal = principalOf(res);
    const syncId = String(req.params.syncId);
    const decision = decideCancel(syncId, await findCancelTarget(pool, syncId), principal.username, now());
    const audit = (outcome: 'ok' | 'refused', details: Record<string, unknown>) =>
      recordAudit(pool, {
        actor: principal.username,
        credential: principal.credential,
        action: 'sync.cancel',
        // A path that is no syncId (fuzzed, a NUL) is audited without it: PostgreSQL could refuse the text.
        target: uuid.safeParse(syncId).success ? syncId : null,
        outcome,
        details,
      });
    if (decision.outcome === 'unknown') {
      await audit('refused', { reason: 'unknown' });
      throw new TributaryError('NOT_FOUND', `no sync run or queued request ${syncId}`, {
        details: { syncId },
      });
    }
    if (decision.outcome === 'ended') {
      await audit('refused', { reason: 'ended', status: decision.status });
      throw new TributaryError(
        'SYNC_ALREADY_ENDED',
        `sync ${syncId} has already ended (${decision.status})`,
        {
          details: { syncId, runStatus: decision.status },
        },
      );
    }
    await options.publishCancel(decision.command);
    await audit('ok', { source: decision.source, state: decision.state });
    logger.info(
      'admin.sync_cancel_requested',
      `${decision.state} ${decision.source} sync ${syncId}: cancel requested by ${principal.username}`,
      { syncId, source: decision.source, state: decision.state, requestedBy: principal.username },
    );
    res.status(202).location(`/api/admin/sync/runs/${syncId}`).json({
      syncId,
      source: decision.source,
      status: 'cancel_requested',
      state: decision.state,
      requestedBy: decision.command.requestedBy,
      requestedAt: decision.command.requestedAt,
    });
  });
}
