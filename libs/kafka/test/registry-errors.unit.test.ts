import { DependencyError, TributaryError } from '@tributary/core';
import { SchemaIncompatibleError, isRuleCreationRace, registryError } from '../src/codec';
import { toKafkaError } from '../src/errors';
import { normalizeSchemaType } from '../src/registry-middleware';

const responseError = (status: number, message: string) =>
  Object.assign(new Error(message), { name: 'ResponseError', status });

describe('schema registry errors', () => {
  it('when the registry answers 409 for a subject, then it is a SchemaIncompatibleError (not retriable)', () => {
    const err = registryError(responseError(409, 'Incompatible artifact'), 'register s-value', {
      subject: 's-value',
    });
    expect(err).toBeInstanceOf(SchemaIncompatibleError);
    expect(err).toMatchObject({ code: 'SCHEMA_INCOMPATIBLE', retriable: false });
  });

  it.each([
    [422, 'bad schema', 'SCHEMA_INVALID'],
    [404, 'not found', 'SCHEMA_NOT_FOUND'],
    [401, 'nope', 'SCHEMA_REGISTRY_UNAUTHORIZED'],
    [400, 'malformed request', 'SCHEMA_REGISTRY_REJECTED'],
  ])('when the registry answers %i, then the error is final (%s)', (status, message, code) => {
    expect(registryError(responseError(status, message), 'x')).toMatchObject({ code, retriable: false });
  });

  it('when the registry cannot be reached or fails, then the error is a retriable DependencyError', () => {
    const refused = responseError(400, 'Error, status 400: connect ECONNREFUSED 127.0.0.1:8081');
    expect(registryError(refused, 'x')).toBeInstanceOf(DependencyError);
    expect(registryError(responseError(503, 'unavailable'), 'x').retriable).toBe(true);
    expect(registryError(new Error('socket hang up'), 'x').retriable).toBe(true);
  });

  it('when a registry answers with a lower-case schemaType, then it is upper-cased for the library', () => {
    expect(normalizeSchemaType({ schema: '{}', schemaType: 'json' })).toEqual({
      schema: '{}',
      schemaType: 'JSON',
    });
    const upper = { schema: '{}', schemaType: 'JSON' };
    expect(normalizeSchemaType(upper)).toBe(upper);
    expect(normalizeSchemaType([1])).toEqual([1]);
  });
});

describe('broker errors', () => {
  const kafkaError = (type: string) => Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type });

  it('when a producer is fenced, then the error is final (KAFKA_PRODUCER_FENCED)', () => {
    expect(toKafkaError('KAFKA_PUBLISH_FAILED', 'send', kafkaError('PRODUCER_FENCED'))).toMatchObject({
      code: 'KAFKA_PRODUCER_FENCED',
      retriable: false,
    });
  });

  it('when the broker refuses a request for good, then the error is final (KAFKA_REQUEST_REJECTED)', () => {
    expect(toKafkaError('KAFKA_PUBLISH_FAILED', 'send', kafkaError('MESSAGE_TOO_LARGE'))).toMatchObject({
      code: 'KAFKA_REQUEST_REJECTED',
      retriable: false,
    });
  });

  it('when anything else fails, then the error is a retriable DependencyError with the given code', () => {
    const err = toKafkaError('KAFKA_PUBLISH_FAILED', 'send', kafkaError('NOT_LEADER_FOR_PARTITION'));
    expect(err).toBeInstanceOf(DependencyError);
    expect(err).toMatchObject({ code: 'KAFKA_PUBLISH_FAILED', retriable: true });
    const own = new TributaryError('PROJECTION_FAILED', 'x');
    expect(toKafkaError('KAFKA_PUBLISH_FAILED', 'y', own)).toBe(own);
  });
});

describe('registry start-up races', () => {
  it('when two services create one subject’s compatibility rule at once, then the 409 is a race, not an incompatible schema', () => {
    const race = Object.assign(
      new Error("Confluent_Schema_Registry - A rule named 'COMPATIBILITY' already exists."),
      { status: 409 },
    );
    expect(isRuleCreationRace(race)).toBe(true);
    expect(
      isRuleCreationRace(
        Object.assign(new Error('Schema being registered is incompatible'), { status: 409 }),
      ),
    ).toBe(false);
    expect(
      isRuleCreationRace(
        Object.assign(new Error("A rule named 'COMPATIBILITY' already exists"), { status: 400 }),
      ),
    ).toBe(false);
  });
});
