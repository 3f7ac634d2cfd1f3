import type { LogEventName } from './log-events';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/**
 * Structured logger: one JSON object per line,
 * `{"ts":"<ISO>","level":"info","service":"x","event":"sync.started","msg":"...",...fields}`.
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
  /** For tests: a fixed clock. */
  now?: () => Date;
}

const RESERVED = new Set(['ts', 'level', 'service', 'event', 'msg']);

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const stream = options.stream ?? stdoutLines();
  const now = options.now ?? (() => new Date());
  return build({});

  function build(bound: LogFields): Logger {
    const write = (lineLevel: LogLevel) => (event: LogEventName, msg: string, fields?: LogFields) => {
      if (SEVERITY[lineLevel] < SEVERITY[level]) return;
      const line: LogFields = { ts: now().toISOString(), level: lineLevel, service, event, msg };
      for (const source of [bound, fields ?? {}]) {
        for (const [key, value] of Object.entries(source)) {
          if (value === undefined) continue;
          // A field may not overwrite the envelope; it is kept under a prefixed name instead.
          line[RESERVED.has(key) ? `field_${key}` : key] = toLoggable(value);
        }
      }
      stream.write(`${safeStringify(line)}\n`);
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

function toLoggable(value: unknown): unknown {
  return value instanceof Error ? serializeError(value) : value;
}

function safeStringify(value: unknown): string {
  const replace = (_key: string, v: unknown): unknown => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Error) return serializeError(v);
    return v;
  };
  try {
    return JSON.stringify(value, replace);
  } catch {
    // A circular structure: write repeated objects as "[Circular]" rather than lose the line.
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (key, v: unknown) => {
      const out = replace(key, v);
      if (typeof out === 'object' && out !== null) {
        if (seen.has(out)) return '[Circular]';
        seen.add(out);
      }
      return out;
    });
  }
}
