import type { z } from 'zod';

/**
 * A predicate that accepts only values the schema accepts, made once from the schema's definition,
 * allocating nothing per value: `false` means "not sure, ask zod", never "invalid". zod's check of a
 * record builds a copy of it and a result per field (about 2 kB per customer row, a fifth of what a
 * rebuild allocates: ADR 0023); for the common case, a valid record, this says so without them.
 *
 * Only the schema kinds the record contracts use are understood: string (optionally `.min(n)`),
 * number (optionally `.int()`), boolean, optional, nullable, union, and objects whose unknown keys
 * pass or are stripped. For anything else (refinements, transforms, other checks, strict objects,
 * coercion) there is no predicate (undefined): the caller uses zod alone.
 */
export type Accept = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: readonly { _zod: { def: { check: string; minimum?: number; format?: string } } }[];
  coerce?: boolean;
  innerType?: z.ZodType;
  options?: readonly z.ZodType[];
  shape?: Readonly<Record<string, z.ZodType>>;
  catchall?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const isString: Accept = (v) => typeof v === 'string';
const isNumber: Accept = (v) => typeof v === 'number' && Number.isFinite(v);
const isSafeInteger: Accept = (v) => Number.isSafeInteger(v);
const isBoolean: Accept = (v) => typeof v === 'boolean';

/**
 * A string's or number's predicate: `plain` without checks, `checked(check)` for one check it
 * understands; undefined for coercion, several checks or one it does not know.
 */
function scalarAccept(
  def: Def,
  plain: Accept,
  checked: (check: { check: string; minimum?: number; format?: string }) => Accept | undefined,
): Accept | undefined {
  if (def.coerce) return undefined;
  const checks = def.checks ?? [];
  if (checks.length === 0) return plain;
  return checks.length === 1 ? checked(checks[0]!._zod.def) : undefined;
}

const stringAccept = (def: Def): Accept | undefined =>
  scalarAccept(def, isString, (check) => {
    if (check.check !== 'min_length' || typeof check.minimum !== 'number') return undefined;
    const min = check.minimum;
    return (v) => typeof v === 'string' && v.length >= min;
  });

const numberAccept = (def: Def): Accept | undefined =>
  scalarAccept(def, isNumber, (check) =>
    check.check === 'number_format' && check.format === 'safeint' ? isSafeInteger : undefined,
  );

function objectAccept(def: Def): Accept | undefined {
  if (def.checks?.length) return undefined;
  // Unknown keys: passed (looseObject: catchall unknown) or stripped (object): either way accepted.
  if (def.catchall && defOf(def.catchall).type !== 'unknown') return undefined;
  const fields: [string, Accept][] = [];
  for (const [key, schema] of Object.entries(def.shape ?? {})) {
    const accept = fastAccept(schema);
    if (!accept) return undefined;
    fields.push([key, accept]);
  }
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    for (let i = 0; i < fields.length; i++) {
      const [key, accept] = fields[i]!;
      if (!accept(record[key])) return false;
    }
    return true;
  };
}

/** The predicate of `schema`, or undefined when it uses anything this does not understand. */
export function fastAccept(schema: z.ZodType): Accept | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringAccept(def);
    case 'number':
      return numberAccept(def);
    case 'boolean':
      return def.coerce || def.checks?.length ? undefined : isBoolean;
    case 'optional':
    case 'nullable': {
      if (def.checks?.length || !def.innerType) return undefined;
      const inner = fastAccept(def.innerType);
      if (!inner) return undefined;
      return def.type === 'optional' ? (v) => v === undefined || inner(v) : (v) => v === null || inner(v);
    }
    case 'union': {
      if (def.checks?.length || !def.options?.length) return undefined;
      const options: Accept[] = [];
      for (const option of def.options) {
        const accept = fastAccept(option);
        if (!accept) return undefined;
        options.push(accept);
      }
      return (v) => {
        for (let i = 0; i < options.length; i++) if (options[i]!(v)) return true;
        return false;
      };
    }
    case 'object':
      return objectAccept(def);
    default:
      return undefined;
  }
}
