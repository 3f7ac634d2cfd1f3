import { DependencyError, TributaryError } from '@tributary/core';
import { classifyDbFailure, retriableDbError, sqlStateOf } from '../src/pg-errors';

/** An error shaped as node-postgres reports a server error (`code` = SQLSTATE). */
const pgError = (code: string, message = `failed with ${code}`): Error =>
  Object.assign(new Error(message), { code });
/** A Node.js socket error. */
const socketError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('classifyDbFailure', () => {
  it.each([
    ['08006', 'connection failure'],
    ['08001', 'cannot connect now'],
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock detected'],
    ['53100', 'disk full'],
    ['53300', 'too many connections'],
    ['57P01', 'admin shutdown (pg_terminate_backend)'],
    ['57014', 'query cancelled'],
  ])('when PostgreSQL fails with %s (%s), then it is transient', (code) => {
    expect(classifyDbFailure(pgError(code))).toBe('transient');
  });

  it.each([
    ['22P05', 'unsupported Unicode escape (NUL in jsonb)'],
    ['22021', 'invalid byte sequence (NUL in text)'],
    ['22003', 'numeric value out of range'],
    ['22008', 'date/time field value out of range'],
    ['23505', 'unique violation'],
    ['23503', 'foreign key violation'],
    ['54000', 'program limit exceeded (index row too large)'],
  ])('when PostgreSQL fails with %s (%s), then it is a data error', (code) => {
    expect(classifyDbFailure(pgError(code))).toBe('data');
  });

  it.each([
    ['42P01', 'undefined table'],
    ['42601', 'syntax error'],
    ['25P02', 'in failed transaction'],
    ['XX000', 'internal error'],
    ['54001', 'statement too complex'],
  ])('when PostgreSQL fails with %s (%s), then it is fatal', (code) => {
    expect(classifyDbFailure(pgError(code))).toBe('fatal');
  });

  it('when the connection is refused, reset or broken, then it is transient', () => {
    expect(classifyDbFailure(socketError('ECONNREFUSED'))).toBe('transient');
    expect(classifyDbFailure(socketError('ECONNRESET'))).toBe('transient');
    expect(classifyDbFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyDbFailure(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    expect(
      classifyDbFailure(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe('transient');
  });

  it('when an error is no database error at all, then it is fatal', () => {
    expect(classifyDbFailure(new TypeError('x is undefined'))).toBe('fatal');
    expect(classifyDbFailure('a string')).toBe('fatal');
    expect(classifyDbFailure(undefined)).toBe('fatal');
    expect(
      classifyDbFailure(new TributaryError('PROJECTION_FAILED', 'Connection terminated by a test')),
    ).toBe('fatal');
  });

  it('when the driver error is the cause of another error, then its SQLSTATE decides', () => {
    const wrapped = new TributaryError('PROJECTION_FAILED', 'batch failed', { cause: pgError('40001') });
    expect(sqlStateOf(wrapped)).toBe('40001');
    expect(classifyDbFailure(wrapped)).toBe('transient');
  });
});

describe('sqlStateOf', () => {
  it('when the code is no SQLSTATE (a socket error), then there is none', () => {
    expect(sqlStateOf(socketError('ECONNREFUSED'))).toBeUndefined();
    expect(sqlStateOf(pgError('22P05'))).toBe('22P05');
  });
});

describe('retriableDbError', () => {
  it('when the server went away, then it is a retriable DB_UNAVAILABLE with the SQLSTATE and the cause', () => {
    const cause = pgError('57P01', 'terminating connection due to administrator command');
    const err = retriableDbError(cause);
    expect(err).toBeInstanceOf(DependencyError);
    expect(err).toMatchObject({
      code: 'DB_UNAVAILABLE',
      retriable: true,
      details: { sqlState: '57P01' },
      cause,
    });
  });

  it('when a transaction lost a race, then it is a retriable DB_TRANSIENT', () => {
    expect(retriableDbError(pgError('40001'))).toMatchObject({ code: 'DB_TRANSIENT', retriable: true });
    expect(retriableDbError(pgError('53300'))).toMatchObject({ code: 'DB_TRANSIENT', retriable: true });
  });

  it('when the connection could not be made, then it is DB_UNAVAILABLE without SQLSTATE', () => {
    expect(retriableDbError(socketError('ECONNREFUSED'))).toMatchObject({
      code: 'DB_UNAVAILABLE',
      details: {},
    });
  });

  it('when the error is a data error or fatal, then it is returned unchanged', () => {
    const data = pgError('22P05');
    const fatal = pgError('42P01');
    expect(retriableDbError(data)).toBe(data);
    expect(retriableDbError(fatal)).toBe(fatal);
  });

  it('when the error is already retriable, then it is returned unchanged', () => {
    const err = new DependencyError('DB_UNAVAILABLE', 'down');
    expect(retriableDbError(err)).toBe(err);
  });
});
