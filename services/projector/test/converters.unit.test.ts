import { INVALID, calendarDate, isRealDateTime, timestamp, wallClockIn } from '../src/core/converters';

describe('date converters', () => {
  it('when a date does not exist (30 February, month 13, 29 February of a common year), then it is invalid, never rolled over', () => {
    for (const text of ['2025-02-30', '2025-13-01', '2023-02-29', '2025-04-31', '2025-01-00']) {
      expect(isRealDateTime(text)).toBe(false);
      expect(calendarDate(text, {})).toBe(INVALID);
      expect(timestamp(`${text}T10:00:00.000Z`, {})).toBe(INVALID);
      expect(wallClockIn('tz')(`${text} 10:00:00`, { tz: 'America/New_York' })).toBe(INVALID);
    }
  });

  it('when a time does not exist (24:00, minute 60), then it is invalid', () => {
    expect(timestamp('2025-03-01T24:00:00Z', {})).toBe(INVALID);
    expect(timestamp('2025-03-01 10:60:00', {})).toBe(INVALID);
  });

  it('when dates are real (leap day, month ends), then they convert as before', () => {
    expect(calendarDate('2024-02-29', {})).toBe('2024-02-29');
    expect(calendarDate('2000-02-29', {})).toBe('2000-02-29');
    expect(isRealDateTime('1900-02-29')).toBe(false);
    expect(timestamp('2025-04-30 23:59:59', {})).toBe('2025-04-30T23:59:59.000Z');
    expect(timestamp('2025-12-31T23:00:00-02:00', {})).toBe('2026-01-01T01:00:00.000Z');
  });
});
