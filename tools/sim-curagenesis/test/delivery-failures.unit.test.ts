import { createServer } from 'node:net';
import { connectionFailureCode, deliveryFailureLog } from '../src/delivery-failures';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function recorder() {
  const lines: { level: string; msg: string }[] = [];
  return {
    lines,
    log: {
      info: (_e: string, msg: string) => lines.push({ level: 'info', msg }),
      warn: (_e: string, msg: string) => lines.push({ level: 'warn', msg }),
    } as never,
  };
}

describe('the trickle on a failed delivery', () => {
  it('when fetch finds nothing listening, then the failure is named by its code from the cause chain', async () => {
    const port = await closedPort();
    const err = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(connectionFailureCode(err)).toBe('ECONNREFUSED');
    expect(connectionFailureCode(new Error('bad signature'))).toBeUndefined();
  });

  it('when the receiver is unreachable for many deliveries, then one info line says so until one gets through', async () => {
    const port = await closedPort();
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    const { lines, log } = recorder();
    let accepted = 5;
    const onError = deliveryFailureLog(log, 'http://gw', () => accepted);
    for (let i = 0; i < 10; i++) onError(refused);
    expect(lines).toEqual([
      {
        level: 'info',
        msg: 'webhook receiver http://gw unreachable (ECONNREFUSED): deliveries fail until it answers',
      },
    ]);
    accepted++; // a delivery got through: the next outage is a new one
    onError(refused);
    onError(refused);
    expect(lines).toHaveLength(2);
  });

  it('when a delivery fails otherwise, then each failure is a warning', () => {
    const { lines, log } = recorder();
    const onError = deliveryFailureLog(log, 'http://gw', () => 0);
    onError(new Error('could not build an event'));
    onError(new Error('could not build an event'));
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn']);
  });
});
