import { createLogger, type Logger } from '@tributary/observability';
import { uniqueName, waitFor } from '@tributary/testkit';
import { Pool } from 'pg';
import { createListener, type Listener } from '../src';
import { databaseUrl } from './db-helpers';

describe('createListener', () => {
  const listeners: Listener[] = [];
  let admin: Pool;
  let logger: Logger;
  let logLines: Record<string, unknown>[];

  beforeEach(() => {
    admin = new Pool({ connectionString: databaseUrl(), max: 2 });
    logLines = [];
    logger = createLogger('listen-test', {
      level: 'debug',
      stream: { write: (s: string) => logLines.push(JSON.parse(s) as Record<string, unknown>) },
    });
  });
  afterEach(async () => {
    await Promise.all(listeners.splice(0).map((l) => l.close()));
    await admin.end();
  });

  function listener(applicationName = 'listen-test'): Listener {
    const l = createListener(databaseUrl(), logger, { applicationName, maxRetryIntervalMs: 500 });
    listeners.push(l);
    return l;
  }
  const channel = () => uniqueName('chan').replace(/-/g, '_');

  it('when another connection sends NOTIFY, then the handler receives the JSON payload', async () => {
    const ch = channel();
    const received: unknown[] = [];
    await listener().listen(ch, (payload) => void received.push(payload));
    await listener().notify(ch, { table: 'repcard_users', ids: [1, 2] });
    await waitFor(() => received.length === 1, { description: 'the notification' });
    expect(received).toEqual([{ table: 'repcard_users', ids: [1, 2] }]);
  });

  it('when a trigger sends plain text with pg_notify, then the handler receives the string', async () => {
    const ch = channel();
    const received: unknown[] = [];
    await listener().listen(ch, (payload) => void received.push(payload));
    await admin.query('SELECT pg_notify($1, $2)', [ch, 'repcard_users:42']);
    await waitFor(() => received.length === 1, { description: 'the notification' });
    expect(received).toEqual(['repcard_users:42']);
  });

  it('when a handler is removed, then later notifications are not delivered to it', async () => {
    const ch = channel();
    const l = listener();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = await l.listen(ch, (p) => void a.push(p));
    await l.listen(ch, (p) => void b.push(p));
    await l.notify(ch, 1);
    await waitFor(() => a.length === 1 && b.length === 1);
    await stopA();
    await l.notify(ch, 2);
    await waitFor(() => b.length === 2);
    expect(a).toEqual([1]);
  });

  it('when a handler throws, then it is logged and the next notification is still handled', async () => {
    const ch = channel();
    const received: unknown[] = [];
    const l = listener();
    await l.listen(ch, (p) => {
      if (p === 'bad') throw new Error('handler broke');
      received.push(p);
    });
    await l.notify(ch, 'bad');
    await l.notify(ch, 'good');
    await waitFor(() => received.length === 1);
    expect(logLines.some((line) => line.event === 'db.listen.error')).toBe(true);
  });

  it('when the LISTEN connection is killed, then it reconnects, listens again and receives notifications', async () => {
    const ch = channel();
    const appName = uniqueName('listen-reconnect');
    const l = listener(appName);
    const received: unknown[] = [];
    let reconnected = 0;
    l.onReconnected(() => reconnected++);
    await l.listen(ch, (p) => void received.push(p));
    await expect(l.check()).resolves.toBeUndefined();

    const killed = await admin.query(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    expect(killed.rows).toEqual([{ ok: true }]);

    await waitFor(() => reconnected === 1, { timeoutMs: 20_000, description: 'the reconnect' });
    await admin.query('SELECT pg_notify($1, $2)', [ch, JSON.stringify('after reconnect')]);
    await waitFor(() => received.length === 1, { description: 'a notification after the reconnect' });
    expect(received).toEqual(['after reconnect']);
    await expect(l.check()).resolves.toBeUndefined();
    expect(logLines.map((line) => line.event)).toContain('db.listen.reconnecting');
  });

  it('when the payload is larger than PostgreSQL allows, then notify refuses it', async () => {
    await expect(listener().notify(channel(), 'x'.repeat(8000))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
