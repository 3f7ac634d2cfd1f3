import type { Request, Response } from 'express';
import type { Logger, Metrics } from '@tributary/observability';

export interface EventStreamOptions {
  logger: Logger;
  metrics: Metrics;
  /** Interval of the `: heartbeat` comment that keeps proxies from closing idle streams, default 15000 ms. */
  heartbeatMs?: number;
  /** What a browser waits before reconnecting after the stream drops, default 3000 ms. */
  retryMs?: number;
}

/** Server-Sent Events fan-out: every connected client receives every event broadcast. */
export interface EventStream {
  /** The express handler of `GET /api/events`. */
  handle(req: Request, res: Response): void;
  /** Sends `event: <name>` with `data` as JSON to every client. */
  broadcast(event: string, data: unknown): void;
  clientCount(): number;
  /** Sends a last `event: shutdown`, ends every stream and refuses new ones (503). Idempotent. */
  close(): void;
}

/**
 * The live stream of the dashboard. Writes go straight to the socket (no buffering middleware in
 * between); a client that goes away is dropped on its `close` event. Heartbeats are comments, so
 * EventSource never sees them as messages.
 */
export function createEventStream(options: EventStreamOptions): EventStream {
  const { logger, metrics } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const retryMs = options.retryMs ?? 3000;
  const gauge = metrics.gauge('tributary_sse_clients');
  const clients = new Set<Response>();
  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;

  function write(res: Response, chunk: string): void {
    if (res.writableEnded || res.destroyed) return;
    res.write(chunk);
  }

  function startHeartbeat(): void {
    if (heartbeat || closed) return;
    heartbeat = setInterval(() => {
      const line = `: heartbeat ${new Date().toISOString()}\n\n`;
      for (const res of clients) write(res, line);
    }, heartbeatMs);
    heartbeat.unref();
  }

  function stopHeartbeatIfIdle(): void {
    if (clients.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  }

  return {
    handle(req, res) {
      if (closed) {
        res
          .status(503)
          .json({ error: { code: 'NOT_READY', message: 'the scheduler is stopping', details: {} } });
        return;
      }
      res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      req.socket.setNoDelay(true);
      req.socket.setTimeout(0);
      clients.add(res);
      gauge.set(clients.size);
      logger.debug('sse.client_connected', `event stream opened (${clients.size} open)`, {
        clients: clients.size,
      });
      write(res, `retry: ${retryMs}\n: connected\n\n`);
      startHeartbeat();
      res.on('close', () => {
        if (!clients.delete(res)) return;
        gauge.set(clients.size);
        logger.debug('sse.client_disconnected', `event stream closed (${clients.size} open)`, {
          clients: clients.size,
        });
        stopHeartbeatIfIdle();
      });
    },
    broadcast(event, data) {
      const chunk = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const res of clients) write(res, chunk);
    },
    clientCount: () => clients.size,
    close() {
      if (closed) return;
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      for (const res of clients) {
        write(res, `event: shutdown\ndata: {}\n\n`);
        res.end();
      }
      clients.clear();
      gauge.set(0);
    },
  };
}
