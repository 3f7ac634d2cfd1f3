import JsonSchema from '@kafkajs/confluent-schema-registry/dist/JsonSchema';
import {
  type Contract,
  CheckpointContract,
  RecordObservedContract,
  SyncCancelRequestedContract,
  SyncEventContract,
  SyncRequestedContract,
  WebhookReceivedContract,
  RepcardWebhookReceivedContract,
  CURAGENESIS_RECORD_SCHEMAS,
  OrderPlacedBodySchema,
  PracticeUpdateBodySchemas,
  REPCARD_RECORD_SCHEMAS,
  allContracts,
  entityTopics,
  toRegistryJsonSchema,
} from '@tributary/contracts';
import { z } from 'zod';
import {
  checkpoint,
  recordObserved,
  syncCancelRequested,
  syncEvents,
  syncRequested,
  webhookReceived,
  repcardWebhookReceived,
} from './examples';

/** Valid values of every contract, each as it would be serialized on the wire. */
function examplesFor(contract: Contract<unknown>): unknown[] {
  const entity = entityTopics().find((t) => t.topic === contract.topic);
  if (entity) return [{ ...recordObserved, source: entity.source, entity: entity.entity }];
  const byContract = new Map<Contract<unknown>, unknown[]>([
    [SyncRequestedContract, [syncRequested]],
    [SyncCancelRequestedContract, [syncCancelRequested]],
    [SyncEventContract, syncEvents],
    [CheckpointContract, [checkpoint, { ...checkpoint, fullSync: null, highWaterMark: null }]],
    [WebhookReceivedContract, [webhookReceived]],
    [RepcardWebhookReceivedContract, [repcardWebhookReceived]],
  ]);
  return byContract.get(contract) ?? [];
}

/** What @kafkajs/confluent-schema-registry does with a registered JSON schema (ajv 8, defaults). */
function registryValidator(contract: Contract<unknown>): JsonSchema {
  return new JsonSchema({ schema: JSON.stringify(contract.jsonSchema()) } as never);
}

describe('JSON Schemas of the contracts', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it.each(allContracts().map((c) => [c.topic, c] as const))(
    'when the %s schema is compiled as the registry client does, then its examples validate without warnings',
    (_topic, contract) => {
      const validator = registryValidator(contract);
      const examples = examplesFor(contract);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const wire = JSON.parse(JSON.stringify(contract.decode(example)));
        expect(() => validator.toBuffer(wire)).not.toThrow();
      }
      expect(warn).not.toHaveBeenCalled();
    },
  );

  it('when generating a schema, then it is draft-07, titled, and free of formats Ajv would refuse', () => {
    for (const contract of allContracts()) {
      const json = contract.jsonSchema();
      expect(json.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(json.title).toBe(`${contract.type} v${contract.version}`);
      expect(JSON.stringify(json)).not.toMatch(/"format":/);
    }
  });

  it('when an invalid value is checked by the registry client, then it is refused at the field', () => {
    // isValid() without an errorHook always answers true in that library; toBuffer() validates as encode() does.
    const refusedAt = (contract: Contract<unknown>, value: unknown): unknown => {
      try {
        registryValidator(contract).toBuffer(value as object);
      } catch (err) {
        return (err as { paths: unknown }).paths;
      }
      return 'accepted';
    };
    expect(refusedAt(SyncRequestedContract, { ...syncRequested, syncId: 'nope' })).toEqual([['/syncId']]);
    expect(refusedAt(SyncEventContract, { ...syncEvents[0], type: 'Nope' })).not.toBe('accepted');
    const users = RecordObservedContract(entityTopics()[0]!.topic);
    expect(refusedAt(users, { ...recordObserved, entity: 'users', observedAt: 'yesterday' })).toEqual([
      ['/observedAt'],
    ]);
    expect(refusedAt(users, { ...recordObserved, entity: 'offices' })).toEqual([['/entity']]);
  });

  it('when a property is named format or a field is a union of types, then only keywords are rewritten', () => {
    const json = toRegistryJsonSchema(
      z.object({ format: z.string(), at: z.iso.date(), n: z.number().nullable() }),
    );
    const properties = json.properties as Record<string, Record<string, unknown>>;
    expect(properties.format).toEqual({ type: 'string' });
    expect(properties.at).not.toHaveProperty('format');
    expect(properties.n).toEqual({ anyOf: [{ type: 'number' }, { type: 'null' }] });
  });

  it('when record and webhook body schemas are compiled as the registry client does, then no warning is logged', () => {
    const schemas: z.ZodType[] = [
      ...Object.values(REPCARD_RECORD_SCHEMAS),
      ...Object.values(CURAGENESIS_RECORD_SCHEMAS),
      ...Object.values(PracticeUpdateBodySchemas),
      OrderPlacedBodySchema,
    ];
    for (const schema of schemas) {
      const validator = new JsonSchema({ schema: JSON.stringify(toRegistryJsonSchema(schema)) } as never);
      expect(validator).toBeDefined();
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('when the hoisted ajv (if installed) compiles every schema, then the examples validate too', async () => {
    type AjvClass = new () => { compile(schema: object): (value: unknown) => boolean };
    const name = 'ajv';
    const available = (() => {
      try {
        return require.resolve(name) !== '';
      } catch {
        return false;
      }
    })();
    if (!available) return;
    const mod = (await import(name)) as { default?: AjvClass } & AjvClass;
    const Ajv = mod.default ?? mod;
    const ajv = new Ajv();
    for (const contract of allContracts()) {
      const validate = ajv.compile(contract.jsonSchema());
      for (const example of examplesFor(contract)) {
        expect(validate(JSON.parse(JSON.stringify(contract.decode(example))))).toBe(true);
      }
    }
  });
});
