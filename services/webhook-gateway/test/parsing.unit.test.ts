import { isJsonContentType } from '../src/domain/content-type';
import { toInstant } from '../src/domain/instant';

describe('isJsonContentType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8'])(
    'when the Content-Type is %s, then it is JSON',
    (header) => expect(isJsonContentType(header)).toBe(true),
  );

  it.each([
    undefined,
    '',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json-patch+json',
    'application/json; charset=latin1',
  ])('when the Content-Type is %s, then it is not', (header) =>
    expect(isJsonContentType(header)).toBe(false),
  );
});

describe('toInstant', () => {
  const ms = Date.UTC(2024, 4, 17, 20, 45, 0);
  it.each([
    ['epoch ms', ms],
    ['epoch ms as a string', String(ms)],
    ['ISO with Z', '2024-05-17T20:45:00.000Z'],
    ['ISO with an offset', '2024-05-17T22:45:00+02:00'],
    ['ISO without a zone (UTC, not the host zone)', '2024-05-17T20:45:00'],
    ['a space instead of T', '2024-05-17 20:45:00'],
  ])('when given %s, then epoch ms and ISO', (_name, value) => {
    expect(toInstant(value)).toEqual({ epochMs: ms, iso: '2024-05-17T20:45:00.000Z' });
  });

  it('when given a date, then its UTC midnight', () => {
    expect(toInstant('2024-05-17')?.iso).toBe('2024-05-17T00:00:00.000Z');
  });

  it.each([null, undefined, 'not-a-timestamp', 'May 17', {}, Number.NaN, 1e20])(
    'when given %p, then null',
    (value) => {
      expect(toInstant(value)).toBeNull();
    },
  );
});
