import { TributaryError } from '@tributary/core';

/**
 * A small 5-field cron (minute hour day-of-month month day-of-week), evaluated in UTC. Pure: no
 * timers, no clock. Each field takes `*`, a number, a range `a-b`, a step `*\/n`, `a-b/n` or `a/n`
 * (from a to the field's end), and comma lists of those; months and weekdays also take names
 * (JAN..DEC, SUN..SAT). Day-of-week 0 and 7 are Sunday. The macros @hourly, @daily (@midnight),
 * @weekly, @monthly and @yearly (@annually) are accepted.
 *
 * Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted (neither
 * starts with `*`), a day matches if EITHER matches; otherwise both must.
 */
export interface CronSchedule {
  /** The expression as written (trimmed). */
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 (Sunday) .. 6 (Saturday). */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

/** An expression that cannot be parsed, or never fires; `field` names the part at fault. */
export class CronExpressionError extends TributaryError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('CRON_INVALID', `${field}: ${message}`, { details: { field } });
  }
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Offset of the first name: JAN = 1, SUN = 0. */
  namesFrom?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    namesFrom: 1,
  },
  {
    name: 'day-of-week',
    min: 0,
    max: 7,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
    namesFrom: 0,
  },
];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Longest month length for months 1..12 (February counts its leap day). */
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** How far ahead `nextRun` looks before deciding an expression never fires (covers leap days). */
const SEARCH_YEARS = 9;

/** Parses an expression; throws CronExpressionError naming the field at fault. */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const source = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (source.startsWith('@')) {
    throw new CronExpressionError(
      'expression',
      `unknown macro ${trimmed} (known: ${Object.keys(MACROS).join(', ')})`,
    );
  }
  const parts = source.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length !== FIELDS.length) {
    throw new CronExpressionError(
      'expression',
      `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length} in "${trimmed}"`,
    );
  }
  const [minutes, hours, daysOfMonth, months, rawDaysOfWeek] = FIELDS.map((spec, i) =>
    parseField(parts[i]!, spec),
  );
  const daysOfWeek = new Set([...rawDaysOfWeek!].map((d) => d % 7));
  const schedule: CronSchedule = {
    expression: trimmed,
    minutes: minutes!,
    hours: hours!,
    daysOfMonth: daysOfMonth!,
    months: months!,
    daysOfWeek,
    dayOfMonthRestricted: !parts[2]!.startsWith('*'),
    dayOfWeekRestricted: !parts[4]!.startsWith('*'),
  };
  // With a restricted day-of-week the days it names come round every month; otherwise the
  // day-of-month must exist in at least one of the months (no "31 in February").
  if (!schedule.dayOfWeekRestricted) {
    const fits = [...schedule.months].some((m) =>
      [...schedule.daysOfMonth].some((d) => d <= MAX_DAYS[m - 1]!),
    );
    if (!fits) {
      throw new CronExpressionError(
        'day-of-month',
        `"${parts[2]}" never occurs in month(s) "${parts[3]}", so the expression never fires`,
      );
    }
  }
  return schedule;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new CronExpressionError(spec.name, `empty item in list "${text}"`);
    const slash = item.indexOf('/');
    const rangeText = slash >= 0 ? item.slice(0, slash) : item;
    const stepText = slash >= 0 ? item.slice(slash + 1) : undefined;
    let from: number;
    let to: number;
    if (rangeText === '*') {
      from = spec.min;
      to = spec.name === 'day-of-week' ? 6 : spec.max;
    } else if (rangeText.includes('-')) {
      const [a, b, ...rest] = rangeText.split('-');
      if (rest.length > 0 || a === undefined || b === undefined) {
        throw new CronExpressionError(spec.name, `"${item}" is not a range a-b`);
      }
      from = parseValue(a, spec);
      to = parseValue(b, spec);
      if (from > to) throw new CronExpressionError(spec.name, `range "${rangeText}" ends before it starts`);
    } else {
      from = parseValue(rangeText, spec);
      // `a/n` runs from a to the end of the field; a lone value is just itself.
      to = stepText === undefined ? from : spec.name === 'day-of-week' ? 6 : spec.max;
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
        throw new CronExpressionError(spec.name, `step "${stepText}" in "${item}" is not a positive integer`);
      }
      step = Number(stepText);
      const span = spec.max - spec.min + 1;
      if (step > span) {
        throw new CronExpressionError(
          spec.name,
          `step ${step} in "${item}" is larger than the field (${spec.min}-${spec.max})`,
        );
      }
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parseValue(text: string, spec: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) {
      throw new CronExpressionError(spec.name, `${n} is out of range ${spec.min}-${spec.max}`);
    }
    return n;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return index + spec.namesFrom!;
  const hint = spec.names ? ` or a name ${spec.names[0]}..${spec.names[spec.names.length - 1]}` : '';
  throw new CronExpressionError(spec.name, `"${text}" is not a number ${spec.min}-${spec.max}${hint}`);
}

/** Whether `date` (UTC) is a day the schedule may fire on. */
function dayMatches(s: CronSchedule, date: Date): boolean {
  const dom = s.daysOfMonth.has(date.getUTCDate());
  const dow = s.daysOfWeek.has(date.getUTCDay());
  return s.dayOfMonthRestricted && s.dayOfWeekRestricted ? dom || dow : dom && dow;
}

/** Whether the schedule fires in the minute that contains `date` (UTC). */
export function matches(schedule: CronSchedule | string, date: Date): boolean {
  const s = typeof schedule === 'string' ? parseCron(schedule) : schedule;
  return (
    s.minutes.has(date.getUTCMinutes()) &&
    s.hours.has(date.getUTCHours()) &&
    s.months.has(date.getUTCMonth() + 1) &&
    dayMatches(s, date)
  );
}

/**
 * The first minute strictly after `after` (UTC, seconds and milliseconds zero) at which the
 * schedule fires. Throws CronExpressionError if it never fires within the next years.
 */
export function nextRun(schedule: CronSchedule | string, after: Date): Date {
  const s = typeof schedule === 'string' ? parseCron(schedule) : schedule;
  if (Number.isNaN(after.getTime()))
    throw new TributaryError('CRON_BAD_DATE', 'nextRun: `after` is not a valid date');
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const lastYear = after.getUTCFullYear() + SEARCH_YEARS;
  while (t.getUTCFullYear() <= lastYear) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1); // setUTCMonth rolls the year over
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else {
      return t;
    }
  }
  throw new CronExpressionError(
    'expression',
    `"${s.expression}" does not fire within ${SEARCH_YEARS} years of ${after.toISOString()}`,
  );
}
