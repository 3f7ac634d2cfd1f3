import { colorsWanted, logFormatOf, prettyLines, resolveLogFormat, type LogFormat } from './log-format';
import type { LogEventName } from './log-events';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/**
 * Structured logger. In JSON (machines) one object per line, the envelope first, in this order:
 * `{"ts":"<ISO>","level":"info","service":"x","event":"sync.started","msg":"...",...fields}`; in
 * pretty (people; `LOG_FORMAT`, see log-format.ts) the same line made readable by pino-pretty.
 * `event` is one of the declared names in `log-events.ts`. Any Error found in `fields` is written with
 * its name, code, message, retriable, details, stack and cause chain.
 */
export interface Logger {
  readonly level: LogLevel;
  debug(event: LogEventName, msg: string, fields?: LogFields): void;
  info(event: LogEventName, msg: string, fields?: LogFields): void;
  warn(event: LogEventName, msg: string, fields?: LogFields): void;
  error(event: LogEventName, msg: string, fields?: LogFields): void;
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger that adds `fields` to every line (e.g. `{ syncId }`, `{ topic, partition }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to process.stdout, written once per event-loop turn (stdoutLines). */
  stream?: { write(chunk: string): unknown };
  /**
   * json, pretty or auto. Default: with a `stream`, json; else `LOG_FORMAT` (auto: pretty when
   * stdout is a terminal).
   */
  format?: LogFormat;
  /** Colours in pretty lines; default: unless NO_COLOR is set. */
  colorize?: boolean;
  /** For tests: a fixed clock. */
  now?: () => Date;
}

const RESERVED = new Set(['ts', 'level', 'service', 'event', 'msg']);

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const now = options.now ?? (() => new Date());
  const format = options.stream
    ? resolveLogFormat(options.format ?? 'json', false)
    : resolveLogFormat(options.format ?? logFormatOf(), Boolean(process.stdout.isTTY));
  const target = options.stream ?? stdoutLines();
  const destination = format === 'pretty' ? prettyLines(target, options.colorize ?? colorsWanted()) : target;
  return build({});

  function build(bound: LogFields): Logger {
    const write = (lineLevel: LogLevel) => (event: LogEventName, msg: string, fields?: LogFields) => {
      if (SEVERITY[lineLevel] < SEVERITY[level]) return;
      const line: LogFields = { ts: now().toISOString(), level: lineLevel, service, event, msg };
      for (const source of [bound, fields ?? {}]) {
        for (const [key, value] of Object.entries(source)) {
          if (value === undefined) continue;
          // A field may not overwrite the envelope; it is kept under a prefixed name instead.
          line[RESERVED.has(key) ? `field_${key}` : key] = loggable(value, []);
        }
      }
      destination.write(`${stringifyLine(line)}\n`);
    };
    return {
      level,
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      isLevelEnabled: (l) => SEVERITY[l] >= SEVERITY[level],
      child: (fields) => build({ ...bound, ...fields }),
    };
  }
}

/** Something lines can be written to and that writes them on `flush()`. */
export interface LineBuffer {
  write(chunk: string): void;
  /** Writes what is buffered now. */
  flush(): void;
}

/**
 * Lines for `target`, written together once per event-loop turn. stdout to a pipe is synchronous on
 * Linux, so a line per write means a system call per line (and a stall whenever the reader is
 * slow); at hundreds of requests per second that cost showed in request latency. What is buffered
 * is written on process exit too (a kill -9 loses at most the current turn's lines).
 */
export function bufferedLines(target: { write(chunk: string): unknown }): LineBuffer {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    target.write(chunk);
  };
  return {
    write(chunk) {
      pending.push(chunk);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

let stdoutBuffer: LineBuffer | undefined;

/** The process-wide buffered stdout of every logger made without a `stream`. */
export function stdoutLines(): LineBuffer {
  if (!stdoutBuffer) {
    const buffer = bufferedLines(process.stdout);
    process.on('exit', () => buffer.flush());
    stdoutBuffer = buffer;
  }
  return stdoutBuffer;
}

/** A logger that writes nothing (for tests and tools that do not log). */
export function nullLogger(): Logger {
  const noop = (): void => undefined;
  const logger: Logger = {
    level: 'error',
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    isLevelEnabled: () => false,
    child: () => logger,
  };
  return logger;
}

const MAX_CAUSE_DEPTH = 5;

/** An Error as a plain object: name, code, message, retriable, details, stack, cause (recursively). */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; retriable?: unknown; details?: unknown; errors?: unknown };
  const out: LogFields = { name: e.name, message: e.message };
  if (e.code !== undefined) out.code = e.code;
  if (e.retriable !== undefined) out.retriable = e.retriable;
  if (
    e.details !== undefined &&
    !(typeof e.details === 'object' && Object.keys(e.details ?? {}).length === 0)
  ) {
    out.details = e.details;
  }
  if (e.stack) out.stack = e.stack;
  if (depth < MAX_CAUSE_DEPTH) {
    if (e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
    if (Array.isArray(e.errors)) out.errors = e.errors.map((inner) => serializeError(inner, depth + 1));
  }
  return out;
}

/** The line as JSON; fields that still cannot be written (a throwing toJSON) are named, not lost with the line. */
function stringifyLine(line: LogFields): string {
  try {
    return JSON.stringify(line);
  } catch (err) {
    const { ts, level, service, event, msg } = line;
    return JSON.stringify({
      ts,
      level,
      service,
      event,
      msg,
      field_error: `fields not serializable: ${String(err)}`,
    });
  }
}

/**
 * A field value as JSON can hold it: Errors serialized (serializeError), bigints as strings, an object
 * met again inside itself as "[Circular]" (the line is written rather than lost).
 */
function loggable(value: unknown, ancestors: object[]): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return loggable(serializeError(value), ancestors);
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value)) return '[Circular]';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const inside = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => loggable(item, inside));
  const out: LogFields = {};
  for (const [key, item] of Object.entries(value)) out[key] = loggable(item, inside);
  return out;
}
