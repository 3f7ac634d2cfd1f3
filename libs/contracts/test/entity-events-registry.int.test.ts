import { SchemaCodec } from '@tributary/kafka';
import { uniqueName } from '@tributary/testkit';
import {
  RecordObservedContract,
  TOPICS,
  deletionEventId,
  recordObservedSchemaFor,
  toRegistryJsonSchema,
  type Contract,
} from '@tributary/contracts';
import { recordObserved } from './examples';

/** The customers topic's contract as it was before RecordDeleted and `repair` (ADR 0024), under `topic`. */
function before(topic: string): Pick<Contract<unknown>, 'topic' | 'subject' | 'jsonSchema' | 'decode'> {
  const schema = recordObservedSchemaFor('repcard', 'customers');
  return {
    topic,
    subject: `${topic}-value`,
    jsonSchema: () => toRegistryJsonSchema(schema, 'RecordObserved v2'),
    decode: (value) => schema.parse(value),
  };
}

describe('entity topic contract in the schema registry', () => {
  it('when the widened schema is registered over the RecordObserved one, then the registry accepts it under BACKWARD, old values decode and an old producer still registers', async () => {
    const url = process.env.SCHEMA_REGISTRY_URL!;
    const topic = uniqueName('entity-events-compat');
    const old = new SchemaCodec({ url });
    const oldBytes = await old.encode(before(topic), recordObserved);

    const current = { ...RecordObservedContract(TOPICS.repcardCustomers), topic, subject: `${topic}-value` };
    const codec = new SchemaCodec({ url });
    await expect(codec.register(current)).resolves.toEqual(expect.any(Number));
    const deleted = {
      type: 'RecordDeleted' as const,
      version: 1 as const,
      eventId: deletionEventId('repcard', 'customers', '48213', 'sync-1'),
      source: 'repcard' as const,
      entity: 'customers',
      id: '48213',
      deletedAt: '2024-05-18T02:00:00.000Z',
      syncId: 'sync-1',
      observedAt: '2024-05-18T02:10:00.000Z',
    };
    expect(await codec.decode(await codec.encode(current, deleted), current)).toEqual(deleted);
    expect(await codec.decode(oldBytes, current)).toEqual(recordObserved);
    // A producer still running the previous release registers its (older) schema again: found, not refused.
    await expect(new SchemaCodec({ url }).register(before(topic))).resolves.toEqual(expect.any(Number));
  });
});
