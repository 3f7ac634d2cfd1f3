import { z } from 'zod';

type Json = Record<string, unknown>;

/**
 * The JSON Schema (draft-07) of a contract, as registered in the schema registry and checked by
 * @kafkajs/confluent-schema-registry, which compiles it with a default `new Ajv()` (v8, strict):
 * - `format` keywords are dropped: plain Ajv knows no formats (`uuid`, `date-time`, `date`) and
 *   refuses to compile them; zod emits a `pattern` next to each, which still validates;
 * - `type: [a, b]` becomes `anyOf: [{type: a}, {type: b}]`, which strict mode accepts silently;
 * - what zod cannot describe (refinements) is left out: the zod schema remains the authority.
 */
export function toRegistryJsonSchema(schema: z.ZodType, title?: string): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as Json;
  const compatible = forPlainAjv(json);
  return title === undefined ? compatible : { ...compatible, title };
}

const SCHEMA_KEYS = ['items', 'additionalProperties', 'additionalItems', 'not', 'propertyNames', 'contains'];
const SCHEMA_LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'items'];
const SCHEMA_MAP_KEYS = ['properties', 'patternProperties', 'definitions', '$defs'];
const CONDITION_KEYS = ['if', 'then', 'else'];

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rewrites one schema node and, recursively, its subschemas (never a property that is merely named `format`). */
function forPlainAjv(node: Json): Json {
  const out: Json = { ...node };
  if (typeof out.format === 'string') delete out.format;
  if (Array.isArray(out.type)) {
    const alternatives = (out.type as unknown[]).map((type) => ({ type }));
    delete out.type;
    if (out.anyOf === undefined) out.anyOf = alternatives;
    else out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), { anyOf: alternatives }];
  }
  for (const key of [...SCHEMA_KEYS, ...CONDITION_KEYS]) {
    const sub = out[key];
    if (isJson(sub)) out[key] = forPlainAjv(sub);
  }
  for (const key of SCHEMA_LIST_KEYS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((sub) => (isJson(sub) ? forPlainAjv(sub) : sub));
  }
  for (const key of SCHEMA_MAP_KEYS) {
    const map = out[key];
    if (isJson(map)) {
      out[key] = Object.fromEntries(
        Object.entries(map).map(([name, sub]) => [name, isJson(sub) ? forPlainAjv(sub) : sub]),
      );
    }
  }
  return out;
}
