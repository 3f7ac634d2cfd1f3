import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpRequestBytes, RawHttpPool, readAnswer, type RawOutcome } from '../src/raw-http';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const send = (pool: RawHttpPool, bytes: Buffer) =>
  new Promise<RawOutcome>((resolve) => pool.send(bytes, resolve));

describe('RawHttpPool', () => {
  const servers: Server[] = [];
  const pools: RawHttpPool[] = [];
  afterEach(async () => {
    for (const p of pools.splice(0)) p.close();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  const start = async (handler: Handler, timeoutMs = 2_000) => {
    const { server, port } = await serve(handler);
    servers.push(server);
    const pool = new RawHttpPool({ host: '127.0.0.1', port, timeoutMs });
    pools.push(pool);
    return { pool, port };
  };

  it('writes the method, path, headers and exact body, and reads the status of a Content-Length answer', async () => {
    const seen: { method?: string; url?: string; sig?: string; type?: string; body?: string }[] = [];
    const { pool, port } = await start((req, body, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        sig: req.headers['x-signature'] as string,
        type: req.headers['content-type'],
        body,
      });
      res.statusCode = 202;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ accepted: true }));
    });
    const body = JSON.stringify({ event: 'order.placed', name: 'Zoë \u2014 "quoted"' });
    const bytes = httpRequestBytes(
      `127.0.0.1:${port}`,
      '/webhooks/x',
      { 'Content-Type': 'application/json', 'X-Signature': 'abc' },
      body,
    );
    expect(await send(pool, bytes)).toEqual({ kind: 'status', status: 202, retryAfter: false });
    expect(seen).toEqual([
      { method: 'POST', url: '/webhooks/x', sig: 'abc', type: 'application/json', body },
    ]);
  });

  it('keeps a connection alive across requests, and tells Retry-After apart', async () => {
    let n = 0;
    const { pool, port } = await start((_req, _body, res) => {
      n++;
      if (n % 2 === 0) res.setHeader('retry-after', '1');
      res.statusCode = n % 2 === 0 ? 503 : 200;
      res.end('{}');
    });
    const bytes = httpRequestBytes(`127.0.0.1:${port}`, '/', {}, '{}');
    const outcomes: RawOutcome[] = [];
    for (let i = 0; i < 6; i++) outcomes.push(await send(pool, bytes));
    expect(
      outcomes.map((o) => (o.kind === 'status' ? `${o.status}${o.retryAfter ? '+ra' : ''}` : o.kind)),
    ).toEqual(['200', '503+ra', '200', '503+ra', '200', '503+ra']);
    expect(pool.opened).toBe(1);
  });

  it('reads a chunked answer, and opens a new connection after Connection: close', async () => {
    let n = 0;
    const { pool, port } = await start((_req, _body, res) => {
      n++;
      if (n === 1) {
        res.statusCode = 201;
        res.write('part one,');
        setTimeout(() => res.end('part two'), 20);
      } else {
        res.setHeader('connection', 'close');
        res.statusCode = 400;
        res.end('{"error":"bad"}');
      }
    });
    const bytes = httpRequestBytes(`127.0.0.1:${port}`, '/', {}, '{}');
    expect(await send(pool, bytes)).toEqual({ kind: 'status', status: 201, retryAfter: false });
    expect(await send(pool, bytes)).toEqual({ kind: 'status', status: 400, retryAfter: false });
    expect(pool.opened).toBe(1);
    expect(await send(pool, bytes)).toEqual({ kind: 'status', status: 400, retryAfter: false });
    expect(pool.opened).toBe(2);
  });

  it('counts a refused connection and a missing answer apart', async () => {
    const { server, port } = await serve(() => undefined); // never answers
    servers.push(server);
    const silent = new RawHttpPool({ host: '127.0.0.1', port, timeoutMs: 150 });
    pools.push(silent);
    const t0 = Date.now();
    const timedOut = await send(silent, httpRequestBytes(`127.0.0.1:${port}`, '/', {}, '{}'));
    expect(timedOut.kind).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);

    const free = await serve(() => undefined);
    const freePort = free.port;
    await new Promise((r) => free.server.close(r));
    const refused = new RawHttpPool({ host: '127.0.0.1', port: freePort, timeoutMs: 1_000 });
    pools.push(refused);
    expect(await send(refused, httpRequestBytes(`127.0.0.1:${freePort}`, '/', {}, '{}'))).toEqual({
      kind: 'connection',
      error: 'ECONNREFUSED',
    });
  });
});

describe('readAnswer', () => {
  const fresh = (text: string) => ({
    buf: Buffer.from(text, 'latin1'),
    status: 0,
    retryAfter: false,
    close: false,
    remaining: NaN,
  });

  it('reads an answer split anywhere, byte by byte', () => {
    for (const text of [
      'HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\nRetry-After: 2\r\n\r\nhello',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n',
    ]) {
      const r = fresh('');
      let done = false;
      for (let i = 0; i < text.length; i++) {
        r.buf = Buffer.concat([r.buf, Buffer.from(text[i]!, 'latin1')]);
        done = readAnswer(r);
        expect(done).toBe(i === text.length - 1);
      }
      expect(r.buf.length).toBe(0);
      expect(r.status).toBe(text.includes('202') ? 202 : 200);
      expect(r.retryAfter).toBe(text.includes('Retry-After'));
    }
  });

  it('refuses a malformed status line and an answer of unknown length', () => {
    expect(() => readAnswer(fresh('garbage\r\n\r\n'))).toThrow('malformed status line');
    expect(() => readAnswer(fresh('HTTP/1.1 200 OK\r\nX: y\r\n\r\n'))).toThrow('neither Content-Length');
  });
});
