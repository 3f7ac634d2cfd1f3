import { INVALID, timestamp } from '../src/core/converters';

/** What `timestamp` returned for a UTC date-time before its fast path: Date.parse, then toISOString. */
function viaDateParse(text: string): string {
  return new Date(Date.parse(text)).toISOString();
}

describe('timestamp, canonical UTC date-times (the fast path)', () => {
  it('when a UTC date-time has 0 to 9 fraction digits, then it reads as Date.parse reads it (milliseconds truncated)', () => {
    const fractions = ['', '.1', '.12', '.123', '.1239', '.999999', '.000000', '.987654321'];
    const instants = [
      '2024-01-02T08:31:48',
      '0050-01-01T00:00:00',
      '2024-02-29T23:59:59',
      '1999-12-31T23:59:59',
      '9999-12-31T23:59:59',
      '1970-01-01T00:00:00',
    ];
    for (const instant of instants) {
      for (const fraction of fractions) {
        const text = `${instant}${fraction}Z`;
        expect(timestamp(text, {})).toBe(viaDateParse(text));
      }
    }
  });

  it('when the date or time cannot exist, then it is INVALID, never rolled over', () => {
    for (const text of [
      '2023-02-29T00:00:00Z',
      '2024-02-30T00:00:00.000Z',
      '2024-13-01T00:00:00Z',
      '2024-00-10T00:00:00Z',
      '2024-04-31T00:00:00Z',
      '2024-01-00T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T23:60:00Z',
      '2024-01-01T23:59:60Z',
    ]) {
      expect(timestamp(text, {})).toBe(INVALID);
    }
  });

  it('when the text is not canonical (spaces, an offset, no seconds), then the general path still reads it', () => {
    expect(timestamp(' 2024-01-02T08:31:48.5Z ', {})).toBe('2024-01-02T08:31:48.500Z');
    expect(timestamp('2024-01-02T08:31:48+01:00', {})).toBe('2024-01-02T07:31:48.000Z');
    expect(timestamp('2024-01-02T08:31Z', {})).toBe('2024-01-02T08:31:00.000Z');
  });
});
