import { DependencyError, errorMessage, ValidationError } from '@tributary/core';
import type { Logger } from '@tributary/observability';
import createSubscriber from 'pg-listen';

export type NotificationHandler = (payload: unknown) => void | Promise<void>;

export interface Listener {
  /** Connects (also done by the first `listen` or `notify`). */
  connect(): Promise<void>;
  /** LISTENs on `channel` and calls `handler` with each payload; returns a function to stop. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /** NOTIFYs `channel`; the payload is sent as JSON (at most 7999 bytes). */
  notify(channel: string, payload?: unknown): Promise<void>;
  /** For readiness checks: resolves while the LISTEN connection is up, else throws a DependencyError. */
  check(): Promise<void>;
  /** Called after each reconnect: notifications sent while disconnected are lost, so re-read state here. */
  onReconnected(handler: () => void): void;
  close(): Promise<void>;
}

export interface ListenerOptions {
  /** Shown in pg_stat_activity for the LISTEN connection. */
  applicationName?: string;
  /** Interval of the liveness query on the LISTEN connection, default 10000 ms. */
  checkIntervalMs?: number;
  /** Longest wait between reconnection attempts, default 10000 ms (from 250 ms, doubling). */
  maxRetryIntervalMs?: number;
  /**
   * After this long down, each reconnect log line is an error instead of a warning, default 300000 ms.
   * Reconnecting never stops (pg-listen's own retry timeout, after which it stopped for good, is off:
   * andywer/pg-listen#56); `check()` fails while down.
   */
  reconnectTimeoutMs?: number;
  /** At most one "reconnecting" log line per this interval, default 30000 ms (the first is always logged). */
  reconnectLogIntervalMs?: number;
}

const MAX_PAYLOAD_BYTES = 7999;

/**
 * PostgreSQL LISTEN/NOTIFY over one dedicated connection (pg-listen), for live read-model updates.
 * The connection is checked periodically and re-established after a loss with capped backoff, for as
 * long as it takes, and the channels are LISTENed again; `check()` tells readiness whether it is up.
 * If the first connect fails the listener is unusable: close it and create another. Payloads are JSON; a payload that is not JSON (a trigger sending
 * plain text) is handed over as the raw string. A handler that throws is logged, never fatal.
 */
export function createListener(databaseUrl: string, logger: Logger, options: ListenerOptions = {}): Listener {
  const maxRetry = options.maxRetryIntervalMs ?? 10_000;
  const subscriber = createSubscriber(
    { connectionString: databaseUrl, application_name: options.applicationName },
    {
      paranoidChecking: options.checkIntervalMs ?? 10_000,
      retryInterval: (attempt) => Math.min(maxRetry, 250 * 2 ** attempt),
      // 0: never give up (pg-listen stops for good past its timeout and never tries again).
      retryTimeout: 0,
      parse: (text) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      },
      serialize: (value) => JSON.stringify(value),
    },
  );
  const handlers = new Map<string, Set<NotificationHandler>>();
  const reconnectedHandlers: (() => void)[] = [];
  let connecting: Promise<void> | undefined;
  let everConnected = false;
  let closed = false;
  let state: 'idle' | 'connected' | 'reconnecting' | 'failed' = 'idle';
  let lastError: unknown;
  let downSince: number | undefined;
  let lastReconnectLog = -Infinity;
  const errorAfterMs = options.reconnectTimeoutMs ?? 300_000;
  const logEveryMs = options.reconnectLogIntervalMs ?? 30_000;

  subscriber.events.on('error', (err) => {
    // pg-listen emits 'error' when reconnecting gave up (payload parse errors cannot happen: see parse)
    state = 'failed';
    lastError = err;
    logger.error('db.listen.error', `LISTEN connection failed: ${err.message}`, { err });
  });
  subscriber.events.on('reconnect', (attempt) => {
    state = 'reconnecting';
    const now = Date.now();
    downSince ??= now;
    if (now - lastReconnectLog < logEveryMs) return;
    lastReconnectLog = now;
    const downMs = now - downSince;
    const fields = { attempt, downMs };
    const msg = `LISTEN connection lost, reconnecting (attempt ${attempt}, down ${Math.round(downMs / 1000)} s)`;
    if (downMs >= errorAfterMs) logger.error('db.listen.reconnecting', msg, fields);
    else logger.warn('db.listen.reconnecting', msg, fields);
  });
  subscriber.events.on('connected', () => {
    const first = !everConnected;
    everConnected = true;
    state = 'connected';
    downSince = undefined;
    lastReconnectLog = -Infinity;
    logger.info('db.listen.connected', first ? 'LISTEN connection up' : 'LISTEN connection re-established', {
      channels: [...handlers.keys()],
    });
    if (first) return;
    for (const handler of reconnectedHandlers) {
      try {
        handler();
      } catch (err) {
        logger.error('db.listen.error', `reconnect handler failed: ${errorMessage(err)}`, { err });
      }
    }
  });

  function connect(): Promise<void> {
    connecting ??= subscriber.connect().catch((err: unknown) => {
      state = 'failed';
      lastError = err;
      throw new DependencyError(
        'DB_LISTEN_UNAVAILABLE',
        `cannot open the LISTEN connection: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    });
    return connecting;
  }

  async function dispatch(channel: string, payload: unknown): Promise<void> {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        await handler(payload);
      } catch (err) {
        logger.error('db.listen.error', `handler for channel ${channel} failed: ${errorMessage(err)}`, {
          channel,
          err,
        });
      }
    }
  }

  return {
    connect,
    async listen(channel, handler) {
      await connect();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        subscriber.notifications.on(channel, (payload: unknown) => void dispatch(channel, payload));
        await subscriber.listenTo(channel);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set && !closed) {
          handlers.delete(channel);
          subscriber.notifications.removeAllListeners(channel);
          await subscriber.unlisten(channel);
        }
      };
    },
    async notify(channel, payload) {
      const size = Buffer.byteLength(JSON.stringify(payload ?? null));
      if (size > MAX_PAYLOAD_BYTES) {
        throw new ValidationError(
          `NOTIFY payload of ${size} bytes exceeds PostgreSQL's ${MAX_PAYLOAD_BYTES}`,
          {
            details: { channel, size },
          },
        );
      }
      await connect();
      if (payload === undefined) await subscriber.notify(channel);
      else await subscriber.notify(channel, payload);
    },
    async check() {
      if (state === 'connected' && !closed) return;
      const why = closed ? 'closed' : state === 'failed' ? `failed: ${errorMessage(lastError)}` : state;
      throw new DependencyError('DB_LISTEN_UNAVAILABLE', `LISTEN connection ${why}`, { cause: lastError });
    },
    onReconnected(handler) {
      reconnectedHandlers.push(handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      if (connecting) {
        await connecting.catch(() => undefined);
        await subscriber.close();
      }
    },
  };
}
