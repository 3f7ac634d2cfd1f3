import { TributaryError } from '@tributary/core';
import { bufferedLines, createLogger, type LoggerOptions } from '../src';

function capture(options: Omit<LoggerOptions, 'stream'> = {}) {
  const chunks: string[] = [];
  const logger = createLogger('projector', {
    now: () => new Date('2025-01-02T03:04:05.678Z'),
    ...options,
    stream: { write: (s: string) => chunks.push(s) },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, chunks, lines };
}

describe('createLogger', () => {
  it('when logging, then each call writes exactly one JSON line with the envelope first', () => {
    const { logger, chunks } = capture();
    logger.info('sync.started', 'sync started', { syncId: 's-1', entities: ['users'] });
    logger.warn('api.throttled', 'budget exhausted');
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) expect(chunk.endsWith('\n') && !chunk.slice(0, -1).includes('\n')).toBe(true);
    expect(chunks[0]).toBe(
      '{"ts":"2025-01-02T03:04:05.678Z","level":"info","service":"projector","event":"sync.started",' +
        '"msg":"sync started","syncId":"s-1","entities":["users"]}\n',
    );
  });

  it('when the level is warn, then debug and info lines are dropped', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.debug('http.request', 'x');
    logger.info('service.started', 'x');
    logger.warn('circuit.open', 'x');
    logger.error('sync.failed', 'x');
    expect(lines().map((l) => l.level)).toEqual(['warn', 'error']);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });

  it('when an error with a cause chain is logged, then code, message, stack and causes are written', () => {
    const { logger, lines } = capture();
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const err = new TributaryError('DB_UNAVAILABLE', 'database unreachable', {
      retriable: true,
      cause: root,
      details: { host: 'db' },
    });
    logger.error('sync.failed', 'sync failed', { err });
    const [line] = lines();
    expect(line?.err).toMatchObject({
      name: 'TributaryError',
      code: 'DB_UNAVAILABLE',
      message: 'database unreachable',
      retriable: true,
      details: { host: 'db' },
      cause: { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    });
    expect((line?.err as { stack: string }).stack).toContain('database unreachable');
  });

  it('when a child logger is used, then its fields appear on every line and cannot overwrite the envelope', () => {
    const { logger, lines } = capture();
    const child = logger.child({ topic: 'repcard.users.v1', partition: 3 });
    child.info('kafka.batch.processed', 'batch done', { count: 10, event: 'spoofed' });
    expect(lines()[0]).toEqual({
      ts: '2025-01-02T03:04:05.678Z',
      level: 'info',
      service: 'projector',
      event: 'kafka.batch.processed',
      msg: 'batch done',
      topic: 'repcard.users.v1',
      partition: 3,
      count: 10,
      field_event: 'spoofed',
    });
  });

  it('when fields hold a bigint or a circular object, then the line is still written', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    logger.info('tool.step', 'odd fields', { offset: 12n, loop });
    expect(lines()[0]).toMatchObject({ offset: '12', loop: { a: 1, self: '[Circular]' } });
  });

  it('when lines are written to a line buffer, then they reach the target together, once per event-loop turn, in order', async () => {
    const writes: string[] = [];
    const buffer = bufferedLines({ write: (chunk: string) => writes.push(chunk) });
    const logger = createLogger('webhook-gateway', { stream: buffer, now: () => new Date(0) });
    logger.info('webhook.accepted', 'one');
    logger.info('webhook.accepted', 'two');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(
      writes[0]!
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(['one', 'two']);
    logger.info('webhook.accepted', 'three');
    buffer.flush();
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain('"msg":"three"');
    buffer.flush();
    expect(writes).toHaveLength(2);
  });
});
