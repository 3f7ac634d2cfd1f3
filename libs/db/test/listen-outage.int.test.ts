import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@tributary/observability';
import { uniqueName, waitFor } from '@tributary/testkit';
import { Pool } from 'pg';
import { createListener } from '../src';
import { databaseUrl } from './db-helpers';

/** A TCP proxy in front of PostgreSQL that a test can take down (cuts and refuses connections) and bring back. */
async function pgProxy(
  target: URL,
): Promise<{ url: string; down(): void; up(): void; close(): Promise<void> }> {
  let isUp = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!isUp) return void client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target.toString());
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    down() {
      isUp = false;
      for (const s of sockets) s.destroy();
    },
    up() {
      isUp = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('createListener during a long outage', () => {
  it('when PostgreSQL stays unreachable for longer than the old give-up window, then the listener keeps trying, is not ready meanwhile, and comes back with its channels', async () => {
    const proxy = await pgProxy(new URL(databaseUrl()));
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('listen-outage-test', {
      level: 'debug',
      stream: { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) },
    });
    const windowMs = 1_000;
    const listener = createListener(proxy.url, logger, {
      applicationName: 'listen-outage-test',
      checkIntervalMs: 200,
      maxRetryIntervalMs: 200,
      reconnectTimeoutMs: windowMs,
      reconnectLogIntervalMs: 1_000,
    });
    const admin = new Pool({ connectionString: databaseUrl(), max: 1 });
    const ch = uniqueName('outage').replace(/-/g, '_');
    const received: unknown[] = [];
    const reconnected = jest.fn();
    try {
      await listener.listen(ch, (p) => void received.push(p));
      listener.onReconnected(reconnected);
      await listener.check();

      proxy.down();
      await waitFor(() => lines.some((l) => l.event === 'db.listen.reconnecting'), {
        description: 'a reconnect attempt',
      });
      await expect(listener.check()).rejects.toMatchObject({ code: 'DB_LISTEN_UNAVAILABLE' });
      // Three times the window pg-listen used to give up after.
      await new Promise((resolve) => setTimeout(resolve, 3 * windowMs));
      await expect(listener.check()).rejects.toMatchObject({ code: 'DB_LISTEN_UNAVAILABLE' });
      const reconnecting = lines.filter((l) => l.event === 'db.listen.reconnecting');
      // Attempts every ~200 ms, but at most one line per second.
      expect(reconnecting.length).toBeGreaterThanOrEqual(2);
      expect(reconnecting.length).toBeLessThanOrEqual(5);
      expect(reconnecting.at(-1)).toMatchObject({ level: 'error' });
      expect(lines.some((l) => l.event === 'db.listen.error' && String(l.msg).includes('Stopping'))).toBe(
        false,
      );

      proxy.up();
      await waitFor(
        async () =>
          listener.check().then(
            () => true,
            () => false,
          ),
        { timeoutMs: 10_000, description: 'the listener back' },
      );
      expect(reconnected).toHaveBeenCalledTimes(1);
      await admin.query('SELECT pg_notify($1, $2)', [ch, '"after the outage"']);
      await waitFor(() => received.length === 1, { description: 'a notification after the outage' });
      expect(received).toEqual(['after the outage']);
    } finally {
      await listener.close();
      await admin.end();
      await proxy.close();
    }
  });
});
