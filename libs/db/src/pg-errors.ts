import { DependencyError, errorMessage, TributaryError } from '@tributary/core';

/**
 * What a PostgreSQL failure says about retrying it (pure: no driver import; errors are read by
 * their SQLSTATE `code`, as node-postgres reports it, or by their Node.js socket error code).
 *
 * - `transient`: the same work may pass later; retry the transaction (classes 08 connection,
 *   40 transaction rollback: serialization failure, deadlock, 53 insufficient resources,
 *   57 operator intervention: shutdown, cancel; a lost or refused connection).
 * - `data`: a value the server refuses (classes 22 data exception, 23 integrity constraint, and
 *   54000 program limit, e.g. an index row over 8 kB): retrying the same input fails the same way;
 *   the record at fault must be isolated.
 * - `fatal`: anything else (a missing table, a syntax error, a bug): stop, loudly.
 */
export type DbFailureKind = 'transient' | 'data' | 'fatal';

const SQLSTATE = /^[0-9A-Z]{5}$/;
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57']);
const DATA_CLASSES = new Set(['22', '23']);
const DATA_STATES = new Set(['54000']);
/** Of class 57, the ones that mean the server went away (the others: a cancelled statement). */
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03']);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** node-postgres' own messages for a connection that broke or never came (they carry no code). */
const CONNECTION_MESSAGE = /^Connection terminated|timeout exceeded when trying to connect|is not queryable/;

/** `err` and its causes, outermost first (a TributaryError may wrap the driver's error). */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let current = err;
  while (current !== undefined && current !== null && out.length < 8 && !out.includes(current)) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The SQLSTATE of a PostgreSQL error (or of the first cause that has one), else undefined. */
export function sqlStateOf(err: unknown): string | undefined {
  for (const e of chain(err)) {
    const code = codeOf(e);
    if (code !== undefined && SQLSTATE.test(code)) return code;
  }
  return undefined;
}

function isConnectionFailure(err: unknown): boolean {
  return chain(err).some((e) => {
    const code = codeOf(e);
    if (code !== undefined && SOCKET_CODES.has(code)) return true;
    return e instanceof Error && !(e instanceof TributaryError) && CONNECTION_MESSAGE.test(e.message);
  });
}

/** Whether retrying `err`'s work can help (see DbFailureKind). */
export function classifyDbFailure(err: unknown): DbFailureKind {
  const state = sqlStateOf(err);
  if (state !== undefined) {
    const cls = state.slice(0, 2);
    if (TRANSIENT_CLASSES.has(cls)) return 'transient';
    if (DATA_CLASSES.has(cls) || DATA_STATES.has(state)) return 'data';
    return 'fatal';
  }
  return isConnectionFailure(err) ? 'transient' : 'fatal';
}

/**
 * `err` as the consumer runtime must see it: a transient PostgreSQL failure becomes a retriable
 * DependencyError (DB_UNAVAILABLE when the server went away or could not be reached, DB_TRANSIENT
 * for a serialization failure, a deadlock, exhausted resources or a cancelled statement), its
 * SQLSTATE in `details`, the driver's error its `cause`. Anything else is returned unchanged.
 */
export function retriableDbError(err: unknown): unknown {
  if (err instanceof TributaryError && err.retriable) return err;
  if (classifyDbFailure(err) !== 'transient') return err;
  const sqlState = sqlStateOf(err);
  const gone = sqlState === undefined || sqlState.startsWith('08') || SERVER_GONE_STATES.has(sqlState);
  const where = sqlState === undefined ? '' : ` (SQLSTATE ${sqlState})`;
  return new DependencyError(
    gone ? 'DB_UNAVAILABLE' : 'DB_TRANSIENT',
    `PostgreSQL: ${errorMessage(err)}${where}`,
    {
      cause: err,
      details: sqlState === undefined ? {} : { sqlState },
    },
  );
}
