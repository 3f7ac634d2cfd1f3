import { connectField, connectMessage, connectSchema } from '../src/connect-json';

describe('rows as Kafka Connect JSON with schemas', () => {
  it('when a column is bigint, double, text or nullable, then its Connect type and optional flag follow', () => {
    expect(connectField({ name: 'id', dataType: 'bigint', nullable: false })).toEqual({
      field: 'id',
      type: 'int64',
      optional: false,
    });
    expect(connectField({ name: 'lat', dataType: 'double precision', nullable: true })).toEqual({
      field: 'lat',
      type: 'double',
      optional: true,
    });
    expect(connectField({ name: 'city', dataType: 'text', nullable: true })).toEqual({
      field: 'city',
      type: 'string',
      optional: true,
    });
  });

  it('when a column is jsonb or timestamptz, then it is a string with the Debezium semantic type the sink casts from', () => {
    expect(connectField({ name: 'raw', dataType: 'jsonb', nullable: false })).toMatchObject({
      type: 'string',
      name: 'io.debezium.data.Json',
      parameters: { '__debezium.source.column.type': 'JSONB' },
    });
    expect(connectField({ name: 'at', dataType: 'timestamp with time zone', nullable: false })).toMatchObject(
      { type: 'string', name: 'io.debezium.time.ZonedTimestamp' },
    );
  });

  it('when a column type has no mapping, then it says which column', () => {
    expect(() => connectField({ name: 'shape', dataType: 'point', nullable: true })).toThrow(/shape/);
  });

  it('when a row is written, then the message holds the schema and the payload, jsonb values as their text', () => {
    const schema = connectSchema('t.Value', [
      { name: 'id', dataType: 'bigint', nullable: false },
      { name: 'raw', dataType: 'jsonb', nullable: false },
      { name: 'note', dataType: 'text', nullable: true },
    ]);
    const message = JSON.parse(connectMessage(schema, { id: 7, raw: { a: 1 } }));
    expect(message.schema).toEqual(schema);
    expect(message.payload).toEqual({ id: 7, raw: '{"a":1}', note: null });
  });

  it('when a required column is missing, then the message is refused', () => {
    const schema = connectSchema('t.Value', [{ name: 'id', dataType: 'bigint', nullable: false }]);
    expect(() => connectMessage(schema, {})).toThrow(/id/);
  });
});
