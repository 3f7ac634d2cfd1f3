import { CronExpressionError, matches, nextRun, parseCron } from '../src/domain/cron';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string) => nextRun(expr, at(after)).toISOString();

function errorOf(expr: string): CronExpressionError {
  try {
    parseCron(expr);
  } catch (err) {
    if (err instanceof CronExpressionError) return err;
    throw err;
  }
  throw new Error(`"${expr}" was accepted`);
}

describe('parseCron', () => {
  it('when a field is *, then it holds every value of the field', () => {
    const s = parseCron('* * * * *');
    expect(s.minutes.size).toBe(60);
    expect(s.hours.size).toBe(24);
    expect(s.daysOfMonth.size).toBe(31);
    expect(s.months.size).toBe(12);
    expect([...s.daysOfWeek].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('when fields use lists, ranges and steps, then each expands to its values', () => {
    const s = parseCron('5,10,15 8-10 1-10/3 */4 1-5');
    expect([...s.minutes]).toEqual([5, 10, 15]);
    expect([...s.hours]).toEqual([8, 9, 10]);
    expect([...s.daysOfMonth]).toEqual([1, 4, 7, 10]);
    expect([...s.months]).toEqual([1, 5, 9]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('when a step follows a single value, then it runs from that value to the end of the field', () => {
    expect([...parseCron('50/5 * * * *').minutes]).toEqual([50, 55]);
  });

  it('when months and weekdays are named, then names count like numbers (any case)', () => {
    const s = parseCron('0 0 * jan,Jun-AUG mon-fri');
    expect([...s.months]).toEqual([1, 6, 7, 8]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('when day-of-week is 7, then it is Sunday like 0', () => {
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
  });

  it('when a macro is given, then it stands for its expression', () => {
    expect([...parseCron('@daily').hours]).toEqual([0]);
    expect([...parseCron('@hourly').minutes]).toEqual([0]);
    expect(parseCron('@weekly').daysOfWeek).toEqual(new Set([0]));
  });

  it.each([
    ['60 * * * *', 'minute', /60 is out of range 0-59/],
    ['* 24 * * *', 'hour', /24 is out of range 0-23/],
    ['* * 0 * *', 'day-of-month', /0 is out of range 1-31/],
    ['* * 32 * *', 'day-of-month', /32 is out of range/],
    ['* * * 13 * ', 'month', /13 is out of range 1-12/],
    ['* * * * 8', 'day-of-week', /8 is out of range 0-7/],
    ['* * * FOO *', 'month', /"FOO" is not a number 1-12 or a name JAN..DEC/],
    ['*/0 * * * *', 'minute', /step "0"/],
    ['*/x * * * *', 'minute', /step "x"/],
    ['*/61 * * * *', 'minute', /larger than the field/],
    ['10-5 * * * *', 'minute', /ends before it starts/],
    ['1,,2 * * * *', 'minute', /empty item/],
    ['1-2-3 * * * *', 'minute', /not a range/],
    ['* * 31 2 *', 'day-of-month', /never occurs/],
    ['* * * *', 'expression', /expected 5 fields .* got 4/],
    ['* * * * * *', 'expression', /got 6/],
    ['', 'expression', /got 0/],
    ['@fortnightly', 'expression', /unknown macro/],
  ])('when the expression is "%s", then it is refused naming the %s field', (expr, field, message) => {
    const err = errorOf(expr);
    expect(err.field).toBe(field);
    expect(err.code).toBe('CRON_INVALID');
    expect(err.message.startsWith(`${field}: `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it('when the 31st is asked in months that have one, then it is accepted', () => {
    expect(() => parseCron('0 0 31 1-3 *')).not.toThrow();
  });
});

describe('nextRun', () => {
  it('when asked at a due minute, then the next one is strictly later (seconds dropped)', () => {
    expect(next('* * * * *', '2025-03-10T10:15:00.000Z')).toBe('2025-03-10T10:16:00.000Z');
    expect(next('* * * * *', '2025-03-10T10:15:59.999Z')).toBe('2025-03-10T10:16:00.000Z');
  });

  it('when the default incremental schedule is used, then it fires at 00, 06, 12, 18 UTC', () => {
    expect(next('0 */6 * * *', '2025-03-10T00:00:00Z')).toBe('2025-03-10T06:00:00.000Z');
    expect(next('0 */6 * * *', '2025-03-10T05:59:00Z')).toBe('2025-03-10T06:00:00.000Z');
    expect(next('0 */6 * * *', '2025-03-10T18:00:00Z')).toBe('2025-03-11T00:00:00.000Z');
  });

  it('when the default full schedule is used, then it fires daily at 02:00 UTC', () => {
    expect(next('0 2 * * *', '2025-03-10T01:59:30Z')).toBe('2025-03-10T02:00:00.000Z');
    expect(next('0 2 * * *', '2025-03-10T02:00:00Z')).toBe('2025-03-11T02:00:00.000Z');
  });

  it('when the next minute is in the next hour, then the hour rolls over', () => {
    expect(next('*/20 * * * *', '2025-03-10T10:45:00Z')).toBe('2025-03-10T11:00:00.000Z');
  });

  it('when the next run is in the next month or year, then they roll over', () => {
    expect(next('30 9 1 * *', '2025-01-31T12:00:00Z')).toBe('2025-02-01T09:30:00.000Z');
    expect(next('0 0 1 1 *', '2025-06-15T00:00:00Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(next('59 23 31 12 *', '2025-12-31T23:59:00Z')).toBe('2026-12-31T23:59:00.000Z');
  });

  it('when the day-of-month does not exist in a month, then that month is skipped', () => {
    expect(next('0 0 31 * *', '2025-04-01T00:00:00Z')).toBe('2025-05-31T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2025-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('when only the day-of-week is restricted, then the next such weekday is found', () => {
    // 2025-03-10 is a Monday.
    expect(next('0 9 * * 5', '2025-03-10T10:00:00Z')).toBe('2025-03-14T09:00:00.000Z');
    expect(next('0 9 * * SUN', '2025-03-10T10:00:00Z')).toBe('2025-03-16T09:00:00.000Z');
    expect(next('0 9 * * 7', '2025-03-10T10:00:00Z')).toBe('2025-03-16T09:00:00.000Z');
  });

  it('when both day-of-month and day-of-week are restricted, then either one matching is enough', () => {
    // The 15th (Saturday 2025-03-15) or any Monday (2025-03-17): whichever comes first.
    expect(next('0 0 15 * 1', '2025-03-11T00:00:00Z')).toBe('2025-03-15T00:00:00.000Z');
    expect(next('0 0 15 * 1', '2025-03-15T00:00:00Z')).toBe('2025-03-17T00:00:00.000Z');
  });

  it('when the day-of-month is a * step and the weekday restricted, then both must match', () => {
    // Odd days that are Mondays: 2025-03-17 is odd and a Monday.
    expect(next('0 0 */2 * 1', '2025-03-10T00:00:00Z')).toBe('2025-03-17T00:00:00.000Z');
  });

  it('when crossing into a leap day, then February 29th is a day like any other', () => {
    expect(next('0 12 * * *', '2028-02-28T13:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
  });

  it('when the date is not valid, then it is refused', () => {
    expect(() => nextRun('* * * * *', new Date('nope'))).toThrow(/not a valid date/);
  });
});

describe('matches', () => {
  it('when a time falls in a due minute, then it matches, whatever its seconds', () => {
    expect(matches('0 2 * * *', at('2025-03-10T02:00:42Z'))).toBe(true);
    expect(matches('0 2 * * *', at('2025-03-10T02:01:00Z'))).toBe(false);
  });
});
