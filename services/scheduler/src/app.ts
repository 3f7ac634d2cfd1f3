import { SyncRequestedContract, type SyncRequested } from '@tributary/contracts';
import { cancelRequestRecord } from '@tributary/sync';
import { errorMessage, systemClock, type Clock } from '@tributary/core';
import { createListener, createPool, pingDb } from '@tributary/db';
import type { Logger } from '@tributary/observability';
import type { Pool } from 'pg';
import { createPublisher } from '@tributary/kafka';
import { connectPlatform, type RunningService, type ServiceContext } from '@tributary/service';
import { ensureBootstrapAdmin, ensureEnvToken, migrateAccounts, recordAudit } from '@tributary/auth';
import { bootstrapPassword, type SchedulerConfig } from './config';
import { migrateScheduler } from './data-access/sync-requests';
import { createSyncRequester } from './domain/sync-requester';
import { mountCronEndpoint } from './entry-points/cron-endpoint';
import { openApiDocument } from './entry-points/openapi/document';
import { mountSessionApi } from './entry-points/session-api';
import { authenticate } from './entry-points/security/authenticate';
import { originGuard, requirePermission, unsafeRequestGuard } from './entry-points/security/guards';
import { DEMO_ALLOWED_HOSTS } from './entry-points/security/origin-policy';
import { NOTIFY_CHANNELS, type NotifyChannelKey } from '@tributary/read-model';
import { SSE_EVENT_OF_CHANNEL } from './entry-points/sse-events';
import type { ScheduleEntry } from './domain/schedule';
import { mountAdminApi, type ScheduleInfo } from './entry-points/admin-api';
import type { CronLoop, Timers } from './entry-points/cron';
import { startScheduledSyncs } from './entry-points/scheduled-syncs';
import { mountDashboard } from './entry-points/dashboard';
import { createEventStream } from './entry-points/events-stream';
import { mountKpisApi } from './entry-points/kpis-api';
import { mountDriftRoutes } from './entry-points/drift-route';
import { mountReconcileRoute } from './entry-points/reconcile-route';
import { mountEstimateRoute } from './entry-points/estimate-route';

export interface SchedulerOptions {
  /** The clock of the schedule (tests set one near a due minute). */
  clock?: Clock;
  timers?: Timers;
  /** Interval of SSE heartbeats, default 15000 ms. */
  heartbeatMs?: number;
  /**
   * Signals on which the live streams end at once. The runtime drains HTTP before calling `stop()`,
   * and an open event stream would hold that drain for its whole grace period: `main.ts` passes
   * SIGTERM and SIGINT so dashboards are told "shutdown" and let go first.
   */
  closeStreamsOn?: readonly NodeJS.Signals[];
}

/**
 * scheduler: the cron that requests scheduled syncs, the admin API that requests them on demand
 * and reports on runs, and the dashboard with live read-model counts (LISTEN/NOTIFY relayed as
 * Server-Sent Events). Every route needs a role (ADR 0014): it runs the accounts migrations
 * (@tributary/auth) and its own (sync requests, cron slots), and creates the first admin. The read
 * models are the projector's. Runs as N replicas: every one serves the API and the dashboard, the
 * one holding the cron lease fires the scheduled slots, each slot once (ADR 0019).
 */
export async function startScheduler(
  { config, logger, metrics }: ServiceContext<SchedulerConfig>,
  options: SchedulerOptions = {},
): Promise<RunningService> {
  const clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn('service.stop_failed', `scheduler clean-up step failed: ${errorMessage(err)}`, { err });
      }
    }
    cleanups.length = 0;
  };

  try {
    const pool = createPool(config.DATABASE_URL, { max: 5, applicationName: 'scheduler', logger });
    cleanups.push(() => pool.end());
    await pingDb(pool);
    await migrateAccounts(pool, logger);
    await migrateScheduler(pool, logger);
    await bootstrapAccounts(pool, config, logger);

    const { kafka, codec } = await connectPlatform({
      brokers: config.KAFKA_BROKERS,
      registryUrl: config.SCHEMA_REGISTRY_URL,
      clientId: config.KAFKA_CLIENT_ID ?? 'scheduler',
      logger,
    });
    cleanups.push(() => codec.close());
    const publisher = await createPublisher({ kafka, codec, metrics });
    cleanups.push(() => publisher.close());
    const publish = (commands: SyncRequested[]): Promise<void> =>
      publisher.publish(
        commands.map((value) => ({ contract: SyncRequestedContract, key: value.source, value })),
      );

    const requester = createSyncRequester({
      pool,
      publish: (command) => publish([command]),
      queuedTimeoutMinutes: config.SYNC_QUEUED_TIMEOUT_MINUTES,
    });

    const events = createEventStream({ logger, metrics, heartbeatMs: options.heartbeatMs });
    cleanups.push(() => events.close());
    const listener = createListener(config.DATABASE_URL, logger, { applicationName: 'scheduler-listen' });
    cleanups.push(() => listener.close());
    for (const [key, channel] of Object.entries(NOTIFY_CHANNELS) as [NotifyChannelKey, string][]) {
      await listener.listen(channel, (payload) => events.broadcast(SSE_EVENT_OF_CHANNEL[key], payload));
    }
    // Notifications sent while the LISTEN connection was down are lost: tell the dashboards to re-read.
    listener.onReconnected(() => events.broadcast('resync', { at: clock.now().toISOString() }));

    const entries: ScheduleEntry[] = [
      { mode: 'incremental', cron: config.SCHEDULE_INCREMENTAL_CRON },
      { mode: 'full', cron: config.SCHEDULE_FULL_CRON },
    ];
    let loop: CronLoop | null = null;
    if (config.SCHEDULE_ENABLED) {
      const scheduled = await startScheduledSyncs({
        databaseUrl: config.DATABASE_URL,
        pool,
        entries,
        sources: config.SCHEDULE_SOURCES,
        publish,
        leaseMs: config.SCHEDULE_LEADER_LEASE_SECONDS * 1000,
        logger,
        metrics,
        clock,
        timers: options.timers,
      });
      loop = scheduled.loop;
      cleanups.push(() => scheduled.stop());
    } else {
      logger.info('schedule.disabled', 'SCHEDULE_ENABLED=false: no scheduled syncs (admin API and CLI only)');
    }
    const schedule = (): ScheduleInfo => {
      const next = loop?.next() ?? null;
      return {
        enabled: config.SCHEDULE_ENABLED,
        sources: config.SCHEDULE_SOURCES,
        incremental: { cron: config.SCHEDULE_INCREMENTAL_CRON.expression },
        full: { cron: config.SCHEDULE_FULL_CRON.expression },
        next: next && { at: next.at.toISOString(), mode: next.mode },
      };
    };

    const onSignal = (): void => events.close();
    for (const signal of options.closeStreamsOn ?? []) process.on(signal, onSignal);
    cleanups.push(() => {
      for (const signal of options.closeStreamsOn ?? []) process.off(signal, onSignal);
    });

    return {
      readiness: {
        postgres: () => pingDb(pool),
        postgres_listen: () => listener.check(),
        kafka: async () => {
          const admin = kafka.admin();
          await admin.connect();
          await admin.disconnect();
        },
      },
      configure(app) {
        if (config.TRUST_PROXY) app.set('trust proxy', 1);
        app.use(
          originGuard({
            allowedHosts:
              config.ALLOWED_HOSTS.length > 0
                ? config.ALLOWED_HOSTS
                : config.TRIBUTARY_DEMO
                  ? DEMO_ALLOWED_HOSTS
                  : [],
            allowedOrigins: config.ALLOWED_ORIGINS,
          }),
        );
        // The cron endpoint has its own credential (CRON_SECRET), so it comes before the others.
        mountCronEndpoint(app, {
          pool,
          requester,
          cronSecret: config.CRON_SECRET,
          sources: config.SCHEDULE_SOURCES,
          logger,
        });
        app.use(
          authenticate(pool, (reason) =>
            logger.warn('admin.unauthorized', `request refused: ${reason.replace(/_/g, ' ')}`, { reason }),
          ),
        );
        app.use(unsafeRequestGuard());
        mountDashboard(app, { demo: config.TRIBUTARY_DEMO });
        mountSessionApi(app, {
          pool,
          logger,
          sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
          rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
          demo: config.TRIBUTARY_DEMO,
        });
        app.get('/api/events', requirePermission('events:read'), (req, res) => events.handle(req, res));
        const document = openApiDocument();
        app.get('/api/docs', requirePermission('runs:read'), (_req, res) => {
          res.json(document);
        });
        mountKpisApi(app, { pool, kafka });
        mountReconcileRoute(app, { pool });
        mountEstimateRoute(app, { pool });
        mountDriftRoutes(app, { pool, publish: (records) => publisher.publish(records) });
        mountAdminApi(app, {
          pool,
          requester,
          schedule,
          logger,
          metrics,
          rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
          publishCancel: (command) => publisher.publish([cancelRequestRecord(command)]),
        });
      },
      // In order (reverse of start): streams and timers first, then the listener, the producer, the pool.
      stop: cleanUp,
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** The first admin (ADMIN_USERNAME / ADMIN_PASSWORD) and the optional ADMIN_TOKEN, stored hashed. */
async function bootstrapAccounts(pool: Pool, config: SchedulerConfig, logger: Logger): Promise<void> {
  const username = config.ADMIN_USERNAME;
  if (await ensureBootstrapAdmin(pool, username, bootstrapPassword(config))) {
    await recordAudit(pool, {
      actor: 'bootstrap',
      credential: 'environment',
      action: 'user.create',
      target: username,
      outcome: 'ok',
      details: { role: 'admin' },
    });
    logger.info('auth.bootstrapped', `first admin ${username} created from ADMIN_USERNAME / ADMIN_PASSWORD`, {
      username,
    });
  }
  if (config.ADMIN_TOKEN !== undefined) {
    await ensureEnvToken(pool, username, 'ADMIN_TOKEN', config.ADMIN_TOKEN);
    logger.info('auth.bootstrapped', `ADMIN_TOKEN stored (hashed) as an API token of ${username}`, {
      username,
    });
  }
}
