import { ConfigError } from '@tributary/core';
import { createLogger, logFormatOf, resolveLogFormat } from '../src';

const strip = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

function capture(format: 'json' | 'pretty', colorize = false) {
  const chunks: string[] = [];
  let t = Date.parse('2025-01-02T03:04:05.678Z');
  const logger = createLogger('projector', {
    format,
    colorize,
    now: () => new Date((t += 1000)),
    stream: { write: (s: string) => chunks.push(s) },
  });
  return { logger, chunks };
}

describe('log format', () => {
  it('when LOG_FORMAT is unset, empty, json, pretty or auto, then it is read; anything else is refused', () => {
    expect(logFormatOf({})).toBe('auto');
    expect(logFormatOf({ LOG_FORMAT: '' })).toBe('auto');
    expect(logFormatOf({ LOG_FORMAT: 'JSON' })).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(() => logFormatOf({ LOG_FORMAT: 'yaml' })).toThrow(ConfigError);
  });

  it('when the format is auto, then a terminal gets pretty lines and anything else JSON', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('when lines are written one after another, then each carries its own time', () => {
    const { logger, chunks } = capture('json');
    logger.info('tool.step', 'one');
    logger.info('tool.step', 'two');
    const ts = chunks.map((c) => (JSON.parse(c) as { ts: string }).ts);
    expect(ts).toEqual(['2025-01-02T03:04:06.678Z', '2025-01-02T03:04:07.678Z']);
  });

  it('when the format is pretty, then one readable line shows level, message, event and fields, without the service', () => {
    const { logger, chunks } = capture('pretty');
    logger.info('sync.started', 'repcard full sync s-1', { syncId: 's-1', entities: ['users'] });
    expect(chunks).toHaveLength(1);
    const line = chunks[0]!;
    expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    expect(line).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: repcard full sync s-1 {2}sync\.started \{"syncId":"s-1","entities":\["users"\]\}\n$/,
    );
    expect(line).not.toContain('projector');
    expect(line).not.toContain('\x1b[');
  });

  it('when the format is pretty with colours, then the level is coloured and the text stays the same', () => {
    const { logger, chunks } = capture('pretty', true);
    logger.warn('api.throttled', 'budget exhausted');
    expect(chunks[0]).toContain('\x1b[');
    expect(strip(chunks[0]!)).toMatch(/WARN: budget exhausted {2}api\.throttled\n$/);
  });

  it('when an error is logged in pretty format, then its message and stack follow the line', () => {
    const { logger, chunks } = capture('pretty');
    logger.error('sync.failed', 'sync failed', { err: new Error('connect ECONNREFUSED') });
    const text = chunks.join('');
    expect(text).toMatch(/ERROR: sync failed {2}sync\.failed/);
    expect(text).toContain('connect ECONNREFUSED');
    expect(text).toContain('at ');
  });
});
