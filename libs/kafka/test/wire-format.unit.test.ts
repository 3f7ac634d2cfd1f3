import { ValidationError } from '@tributary/core';
import { HEADER_LENGTH, frame, holdsNoUnicodeEscape, parseJsonPayload, unframe } from '../src/wire-format';

describe('Confluent wire format', () => {
  it('when a payload is framed, then it starts with magic byte 0 and the big-endian schema id', () => {
    const framed = frame(258, Buffer.from('{"a":1}'));
    expect([...framed.subarray(0, HEADER_LENGTH)]).toEqual([0, 0, 0, 1, 2]);
    expect(framed.subarray(HEADER_LENGTH).toString()).toBe('{"a":1}');
  });

  it('when a framed value is unframed, then the schema id and payload come back', () => {
    const { schemaId, payload } = unframe(frame(0x7fffffff, Buffer.from('[]')));
    expect(schemaId).toBe(0x7fffffff);
    expect(payload.toString()).toBe('[]');
  });

  it.each([
    ['null', null, 'empty'],
    ['empty', Buffer.alloc(0), 'empty'],
    ['shorter than the header', Buffer.from([0, 0, 1]), 'short'],
    ['a wrong magic byte', Buffer.from([1, 0, 0, 0, 1, 0x7b, 0x7d]), 'magic_byte'],
    ['plain JSON', Buffer.from('{"hello":"world"}'), 'magic_byte'],
    ['schema id 0', Buffer.from([0, 0, 0, 0, 0, 0x7b, 0x7d]), 'schema_id'],
  ])('when the value is %s, then unframe throws a ValidationError', (_name, value, reason) => {
    expect(() => unframe(value)).toThrow(ValidationError);
    try {
      unframe(value);
    } catch (err) {
      expect((err as ValidationError).details.reason).toBe(reason);
      expect((err as ValidationError).retriable).toBe(false);
    }
  });

  it('when the schema id is not a positive 32-bit integer, then frame refuses it', () => {
    expect(() => frame(-1, Buffer.alloc(0))).toThrow(ValidationError);
    expect(() => frame(2 ** 31, Buffer.alloc(0))).toThrow(ValidationError);
    expect(() => frame(1.5, Buffer.alloc(0))).toThrow(ValidationError);
  });

  it('when JSON.stringify wrote a NUL or a lone surrogate, then it is a \\u escape that holdsNoUnicodeEscape sees', () => {
    const text = (s: string) => Buffer.from(JSON.stringify({ s }));
    expect(holdsNoUnicodeEscape(text('é 中 😀 "quoted" tab\t newline\n'))).toBe(true);
    expect(holdsNoUnicodeEscape(text('NUL\u0000'))).toBe(false);
    expect(holdsNoUnicodeEscape(text('\uDC00 alone'))).toBe(false);
    expect(holdsNoUnicodeEscape(text('bell \u0007'))).toBe(false);
    expect(holdsNoUnicodeEscape(null)).toBe(false);
  });

  it('when the payload is not JSON, then parseJsonPayload throws a ValidationError', () => {
    expect(parseJsonPayload(Buffer.from('{"a":[1]}'))).toEqual({ a: [1] });
    expect(() => parseJsonPayload(Buffer.from('{not json'))).toThrow(ValidationError);
  });
});
