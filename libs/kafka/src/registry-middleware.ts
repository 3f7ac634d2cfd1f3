import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

/**
 * Middlewares for the HTTP client of @kafkajs/confluent-schema-registry (mappersmith), so that it
 * works with Apicurio's Confluent-compatible API as with Confluent's own registry.
 */
type RegistryArgs = ConstructorParameters<typeof SchemaRegistry>[0];
export type RegistryMiddleware = NonNullable<RegistryArgs['middlewares']>[number];

/** The response shape the middleware touches (mappersmith's Response, structurally). */
interface ResponseLike {
  data(): unknown;
  enhance(extras: { rawData?: string }): ResponseLike;
}

/**
 * The library maps `schemaType` with a case-sensitive switch ('JSON', 'AVRO', 'PROTOBUF') and calls
 * anything else invalid; registries differ in case ("json"). Normalizes it to upper case in every
 * successful response that has one (`GET /schemas/ids/{id}`, `GET /subjects/{s}/versions/{v}`).
 */
export function normalizeSchemaType(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const record = data as Record<string, unknown>;
  const type = record.schemaType;
  if (typeof type !== 'string' || type === type.toUpperCase()) return data;
  return { ...record, schemaType: type.toUpperCase() };
}

export const schemaTypeCaseMiddleware: RegistryMiddleware = () => ({
  async response(next) {
    const response = (await next()) as unknown as ResponseLike;
    let data = response.data();
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data);
      } catch {
        return response as never;
      }
    }
    const normalized = normalizeSchemaType(data);
    if (normalized === data) return response as never;
    return response.enhance({ rawData: JSON.stringify(normalized) }) as never;
  },
});

/** A per-request timeout (the library sets none, so a hung registry would hang encode/decode). */
export function timeoutMiddleware(ms: number): RegistryMiddleware {
  return () => ({
    async prepareRequest(next) {
      const request = await next();
      return request.enhance({ timeout: ms });
    },
  });
}
