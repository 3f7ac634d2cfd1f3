import { z } from 'zod';
import { SchemaCodec } from '@tributary/kafka';
import { uniqueName } from '@tributary/testkit';
import {
  SyncEventContract,
  SyncEventSchema,
  toRegistryJsonSchema,
  type Contract,
} from '@tributary/contracts';
import { syncEvents } from './examples';

/** The SyncEvent contract as it was before SyncCancelled (ADR 0017), under `topic`. */
function before(topic: string): Pick<Contract<unknown>, 'topic' | 'subject' | 'jsonSchema' | 'decode'> {
  const options = SyncEventSchema.options.filter((o) => o.shape.type.value !== 'SyncCancelled');
  const schema = z.discriminatedUnion('type', options as never);
  return {
    topic,
    subject: `${topic}-value`,
    jsonSchema: () => toRegistryJsonSchema(schema, 'SyncEvent v1'),
    decode: (value) => schema.parse(value),
  };
}

describe('SyncEvent in the schema registry', () => {
  it('when SyncCancelled is added to a subject holding the earlier union, then the registry accepts it under BACKWARD and old values decode', async () => {
    const url = process.env.SCHEMA_REGISTRY_URL!;
    const topic = uniqueName('sync-events-compat');
    const old = new SchemaCodec({ url });
    const oldBytes = await old.encode(before(topic), syncEvents[0]);

    const current = { ...SyncEventContract, topic, subject: `${topic}-value` };
    const codec = new SchemaCodec({ url });
    await expect(codec.register(current)).resolves.toEqual(expect.any(Number));
    const cancelled = syncEvents.find((e) => e.type === 'SyncCancelled')!;
    expect(await codec.decode(await codec.encode(current, cancelled), current)).toEqual(cancelled);
    expect(await codec.decode(oldBytes, current)).toEqual(syncEvents[0]);
  });
});
