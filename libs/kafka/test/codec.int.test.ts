import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { ValidationError } from '@tributary/core';
import { uniqueName, waitFor } from '@tributary/testkit';
import { runBatchConsumer, type BatchConsumer, type DecodedMessage } from '../src';
import { NOT_YET, SchemaCodec } from '../src/codec';
import { createPublisher, type Publisher } from '../src/publisher';
import { frame, unframe } from '../src/wire-format';
import {
  FAST_CONSUMER,
  createTestTopics,
  deleteTopics,
  readTopic,
  stackEnv,
  testContract,
  testKafka,
} from './kafka-helpers';

const OrderV1 = z.object({
  type: z.literal('OrderPlaced'),
  version: z.literal(1),
  orderId: z.string(),
  amount: z.string(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
});

describe('SchemaCodec with the schema registry and Kafka', () => {
  let kafka: Kafka;
  const topics: string[] = [];

  beforeAll(() => {
    kafka = testKafka();
  });
  afterAll(async () => {
    if (topics.length > 0) await deleteTopics(kafka, topics);
  });

  it('when an event is encoded with its registered schema and crosses Kafka, then it decodes to the same value', async () => {
    const topic = uniqueName('codec-roundtrip');
    topics.push(topic);
    await createTestTopics(kafka, [topic]);
    const contract = testContract(topic, OrderV1);
    const codec = new SchemaCodec({ url: stackEnv().registryUrl });
    const schemaId = await codec.register(contract);
    expect(await codec.getCompatibility(contract.subject)).toBe('BACKWARD');

    const value = {
      type: 'OrderPlaced' as const,
      version: 1 as const,
      orderId: 'o-1',
      amount: '12.50',
      tags: ['a', 'é'],
      note: null,
    };
    let publisher: Publisher | undefined;
    let consumer: BatchConsumer | undefined;
    try {
      publisher = await createPublisher({ kafka, codec });
      await publisher.publish([{ contract, key: 'o-1', value, headers: { 'x-trace': 't1' } }]);

      // On the wire: magic byte 0, the registered id, then JSON.
      const [raw] = await readTopic(kafka, topic);
      expect(unframe(raw?.value).schemaId).toBe(schemaId);
      expect(JSON.parse(unframe(raw?.value).payload.toString())).toEqual(value);

      // Read back by a consumer with a codec of its own (schema fetched by id from the registry).
      const received: DecodedMessage<unknown>[] = [];
      consumer = await runBatchConsumer({
        ...FAST_CONSUMER,
        kafka,
        groupId: uniqueName('codec-group'),
        topics: [topic],
        codec: new SchemaCodec({ url: stackEnv().registryUrl }),
        contractFor: () => contract,
        handleBatch: async (batch) => {
          received.push(...batch.messages);
        },
      });
      await waitFor(() => received.length === 1, { description: 'the event' });
      expect(received[0]).toMatchObject({
        topic,
        partition: 0,
        offset: '0',
        key: 'o-1',
        value,
        headers: { 'x-trace': 't1' },
      });
    } finally {
      await consumer?.stop();
      await publisher?.close();
    }
  });

  it("when a field's type changes from string to number, then the registry refuses the schema under BACKWARD", async () => {
    const topic = uniqueName('codec-incompatible');
    const v1 = testContract(topic, OrderV1);
    await new SchemaCodec({ url: stackEnv().registryUrl }).register(v1);

    // A later deploy (fresh codec, no cache) with `amount` now a number.
    const v2 = testContract(topic, OrderV1.extend({ amount: z.number() }));
    const error = await new SchemaCodec({ url: stackEnv().registryUrl })
      .register(v2)
      .catch((err: unknown) => err);
    expect(error).toMatchObject({
      name: 'SchemaIncompatibleError',
      code: 'SCHEMA_INCOMPATIBLE',
      retriable: false,
      details: { subject: `${topic}-value` },
    });
    expect((error as Error).message).toMatch(/incompatible/i);
  });

  it('when a backward-compatible change is registered, then it gets a new id and values of both versions decode', async () => {
    const topic = uniqueName('codec-compatible');
    const url = stackEnv().registryUrl;
    const v1 = testContract(topic, OrderV1);
    const codecV1 = new SchemaCodec({ url });
    const v1Bytes = await codecV1.encode(v1, {
      type: 'OrderPlaced',
      version: 1,
      orderId: 'o',
      amount: '1',
      tags: [],
      note: 'n',
    });

    // v2 reads v1 data (BACKWARD): the new field is optional.
    const v2 = testContract(topic, OrderV1.extend({ currency: z.string().optional() }));
    const codecV2 = new SchemaCodec({ url });
    const v2Id = await codecV2.register(v2);
    expect(v2Id).not.toBe(unframe(v1Bytes).schemaId);
    const v2Bytes = await codecV2.encode(v2, {
      type: 'OrderPlaced',
      version: 1,
      orderId: 'p',
      amount: '2',
      tags: [],
      note: null,
      currency: 'EUR',
    });
    expect(await codecV2.decode(v1Bytes, v2)).toMatchObject({ orderId: 'o' });
    expect(await codecV2.decode(v2Bytes, v2)).toMatchObject({ orderId: 'p', currency: 'EUR' });
  });

  it('when a subject exists with compatibility NONE, then register raises it to BACKWARD', async () => {
    const topic = uniqueName('codec-none');
    const { registryUrl } = stackEnv();
    const contract = testContract(topic, OrderV1);
    // Registered by someone else, straight through the REST API: Apicurio leaves the subject at NONE.
    const res = await fetch(`${registryUrl}/subjects/${contract.subject}/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(contract.jsonSchema()) }),
    });
    expect(res.status).toBe(200);
    const codec = new SchemaCodec({ url: registryUrl });
    expect(await codec.getCompatibility(contract.subject)).toBe('NONE');
    const id = await codec.register(contract);
    expect(id).toBe(((await res.json()) as { id: number }).id);
    expect(await codec.getCompatibility(contract.subject)).toBe('BACKWARD');
  });

  it('when a value does not satisfy its contract, then encode throws a ValidationError', async () => {
    const contract = testContract(uniqueName('codec-invalid'), OrderV1);
    const codec = new SchemaCodec({ url: stackEnv().registryUrl });
    await expect(codec.encode(contract, { orderId: 42 } as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it('when a buffer is not a registered frame, then decode throws a ValidationError', async () => {
    const contract = testContract(uniqueName('codec-garbage'), OrderV1);
    const codec = new SchemaCodec({ url: stackEnv().registryUrl });
    const id = await codec.register(contract);
    await expect(codec.decode(Buffer.from('{"orderId":"o"}'), contract)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(codec.decode(frame(2_000_000_000, Buffer.from('{}')), contract)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'unknown_schema_id' },
    });
    await expect(codec.decode(frame(id, Buffer.from('{not json')), contract)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(codec.decode(frame(id, Buffer.from('{"orderId":1}')), contract)).rejects.toBeInstanceOf(
      ValidationError,
    );
    // Without a contract, the writer's registered schema judges.
    await expect(codec.decode(frame(id, Buffer.from('{"orderId":1}')))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'schema', schemaId: id },
    });
    const good = { type: 'OrderPlaced', version: 1, orderId: 'o-9', amount: '1.00', tags: [], note: null };
    expect(await codec.decode(frame(id, Buffer.from(JSON.stringify(good))))).toEqual(good);
  });

  it('when a schema id was read once, then decodeKnown decodes its values at once and judges them as decode does; a new id answers NOT_YET', async () => {
    const contract = testContract(uniqueName('codec-known'), OrderV1);
    const codec = new SchemaCodec({ url: stackEnv().registryUrl });
    const id = await codec.register(contract);
    const good = { type: 'OrderPlaced', version: 1, orderId: 'o-7', amount: '2.00', tags: ['x'], note: null };
    const framed = frame(id, Buffer.from(JSON.stringify(good)));
    // Registering does not read the schema back: the id is not known to decode yet.
    expect(codec.decodeKnown(framed, contract)).toBe(NOT_YET);
    expect(await codec.decode(framed, contract)).toEqual(good);
    expect(codec.decodeKnown(framed, contract)).toEqual(good);
    expect(() => codec.decodeKnown(frame(id, Buffer.from('{"orderId":1}')), contract)).toThrow(
      ValidationError,
    );
    expect(() => codec.decodeKnown(frame(id, Buffer.from('{not json')), contract)).toThrow(ValidationError);
    expect(() => codec.decodeKnown(Buffer.from('{"orderId":"o"}'), contract)).toThrow(ValidationError);
    expect(codec.decodeKnown(frame(2_000_000_000, Buffer.from('{}')), contract)).toBe(NOT_YET);
  });

  it('when the registry cannot be reached, then decode throws a retriable DependencyError, not a ValidationError', async () => {
    const codec = new SchemaCodec({
      url: 'http://127.0.0.1:9/apis/ccompat/v7',
      retries: 0,
      requestTimeoutMs: 2000,
    });
    await expect(codec.decode(frame(1, Buffer.from('{}')))).rejects.toMatchObject({
      code: 'SCHEMA_REGISTRY_UNAVAILABLE',
      retriable: true,
    });
  });
});
