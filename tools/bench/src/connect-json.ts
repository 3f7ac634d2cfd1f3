/**
 * Rows as Kafka Connect's JsonConverter reads them with `schemas.enable=true`: each message is
 * `{ schema, payload }`, the schema a struct naming every column's Connect type. PostgreSQL types
 * map to what a Debezium source would send for them, so the Debezium JDBC sink binds each value to
 * its column's type (jsonb through `io.debezium.data.Json` with its source column type, timestamptz
 * through `io.debezium.time.ZonedTimestamp`, an ISO-8601 string).
 */
export interface ConnectField {
  field: string;
  type: 'int64' | 'int32' | 'double' | 'boolean' | 'string';
  optional: boolean;
  name?: string;
  parameters?: Record<string, string>;
}

export interface PgColumn {
  name: string;
  /** information_schema.columns.data_type */
  dataType: string;
  nullable: boolean;
}

export function connectField(c: PgColumn): ConnectField {
  const base = { field: c.name, optional: c.nullable };
  switch (c.dataType) {
    case 'bigint':
      return { ...base, type: 'int64' };
    case 'integer':
      return { ...base, type: 'int32' };
    case 'double precision':
      return { ...base, type: 'double' };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'text':
      return { ...base, type: 'string' };
    case 'timestamp with time zone':
      return { ...base, type: 'string', name: 'io.debezium.time.ZonedTimestamp' };
    case 'jsonb':
      return {
        ...base,
        type: 'string',
        name: 'io.debezium.data.Json',
        parameters: { '__debezium.source.column.type': 'JSONB' },
      };
    default:
      throw new Error(`column ${c.name}: no Connect type for PostgreSQL ${c.dataType}`);
  }
}

export interface ConnectStructSchema {
  type: 'struct';
  name: string;
  optional: false;
  fields: ConnectField[];
}

export function connectSchema(name: string, columns: readonly PgColumn[]): ConnectStructSchema {
  return { type: 'struct', name, optional: false, fields: columns.map(connectField) };
}

/**
 * One row as a JsonConverter message. `values` holds the row's values by column: jsonb columns
 * take any JSON value (sent as its text), timestamptz columns an ISO-8601 string.
 */
export function connectMessage(schema: ConnectStructSchema, values: Record<string, unknown>): string {
  const payload: Record<string, unknown> = {};
  for (const f of schema.fields) {
    const v = values[f.field] ?? null;
    if (v === null && !f.optional) throw new Error(`column ${f.field} may not be null`);
    payload[f.field] = v !== null && f.name === 'io.debezium.data.Json' ? JSON.stringify(v) : v;
  }
  return JSON.stringify({ schema, payload });
}
