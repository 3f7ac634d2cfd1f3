import { ConfigError } from '@tributary/core';
import { prettyFactory } from 'pino-pretty';

/**
 * How log lines are written (`LOG_FORMAT`):
 * - `json`: one JSON object per line, for machines (log shippers, `jq`); the default off a terminal.
 * - `pretty`: one readable, coloured line per event (`NO_COLOR=1`: without colours), for people.
 * - `auto` (default): `pretty` when the process's stdout is a terminal, else `json`.
 *
 * Under `npm start` the services write to a pipe, so the runner sets `LOG_FORMAT=pretty` for them
 * when its own stdout is a terminal.
 */
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** `LOG_FORMAT` read from `env`: unset or empty is `auto`; anything else not listed is refused. */
export function logFormatOf(env: Record<string, string | undefined> = process.env): LogFormat {
  const value = env.LOG_FORMAT?.trim().toLowerCase();
  if (!value) return 'auto';
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new ConfigError(
    'LOG_FORMAT',
    `must be one of ${LOG_FORMATS.join(', ')} (got ${JSON.stringify(env.LOG_FORMAT)})`,
  );
}

/** `auto` resolved: pretty on a terminal, JSON elsewhere. */
export function resolveLogFormat(format: LogFormat, isTerminal: boolean): 'json' | 'pretty' {
  if (format === 'auto') return isTerminal ? 'pretty' : 'json';
  return format;
}

/** Colours in pretty lines unless `NO_COLOR` is set (https://no-color.org). */
export function colorsWanted(env: Record<string, string | undefined> = process.env): boolean {
  return !env.NO_COLOR;
}

/**
 * A stream that turns each JSON line written to it into a readable line on `target` (pino-pretty):
 * `[12:34:56.789] INFO: projector resumed from stored offsets  projector.resumed {"groupId":...}`.
 * The message comes first, the catalogue event after it (dimmed), other fields on the same line;
 * an error field is printed below with its stack. The service name is left out: a terminal shows
 * one service, or the runner's prefix names it.
 */
export function prettyLines(
  target: { write(chunk: string): unknown },
  colorize: boolean,
): { write(chunk: string): void } {
  const prettify = prettyFactory({
    colorize,
    messageKey: 'msg',
    timestampKey: 'ts',
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service,event',
    singleLine: true,
    errorLikeObjectKeys: ['err', 'error'],
    messageFormat: (log, _messageKey, _levelLabel, { colors }) => {
      const event = typeof log.event === 'string' ? log.event : '';
      return `${String(log.msg ?? '')}${event ? `  ${colors.gray(event)}` : ''}`;
    },
  });
  return {
    write(chunk) {
      const out = prettify(chunk);
      if (out) target.write(out);
    },
  };
}
