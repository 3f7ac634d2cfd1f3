import { TributaryError } from '@tributary/core';
import { z } from 'zod';
import { fastAccept, type Accept } from './fast-accept';
import { CURAGENESIS_RECORD_SCHEMAS, curagenesisRecordId, curagenesisUpdatedAt } from './curagenesis-records';
import { REPCARD_RECORD_SCHEMAS, repcardRecordId, repcardUpdatedAt } from './repcard-records';
import { type CuragenesisEntity, type RepcardEntity, type Source, isEntityOf } from './topics';

/** Source-agnostic access to API records, for code that handles every entity topic alike. */
function checked(source: Source, entity: string): void {
  if (!isEntityOf(source, entity)) {
    throw new TributaryError('UNKNOWN_ENTITY', `${entity} is not an entity of ${source}`, {
      details: { source, entity },
    });
  }
}

export function recordSchema(source: Source, entity: string): z.ZodType<Record<string, unknown>> {
  checked(source, entity);
  return source === 'repcard'
    ? REPCARD_RECORD_SCHEMAS[entity as RepcardEntity]
    : CURAGENESIS_RECORD_SCHEMAS[entity as CuragenesisEntity];
}

const checks = new Map<z.ZodType, z.ZodType>();

/**
 * The check of `recordSchema(source, entity)`: the same verdict and the same issues, for a caller
 * that keeps the record it checked, not zod's copy. The top-level loose object becomes a stripping
 * one over the same fields, so that zod's compiled parser checks them without walking the record's
 * other fields one by one to copy them across (a fifth of the projector's check of a customer row).
 */
export function recordCheck(source: Source, entity: string): z.ZodType<Record<string, unknown>> {
  const schema = recordSchema(source, entity);
  let check = checks.get(schema);
  if (!check) {
    // A refinement (def.checks) would not survive the copy: such a schema is used as it is.
    const plain = schema instanceof z.ZodObject && !schema._zod.def.checks?.length;
    check = plain ? z.object((schema as z.ZodObject).shape) : schema;
    checks.set(schema, check);
  }
  return check as z.ZodType<Record<string, unknown>>;
}

const accepts = new Map<z.ZodType, Accept>();
const askZod: Accept = () => false;

/**
 * A predicate accepting only records `recordCheck(source, entity)` accepts, without zod's copy of
 * them (fast-accept.ts): true means valid; false means "ask recordCheck" (which gives the verdict and
 * the issue). Never accepts anything for a schema it does not understand.
 */
export function recordFastAccept(source: Source, entity: string): Accept {
  const schema = recordSchema(source, entity);
  let accept = accepts.get(schema);
  if (!accept) {
    accept = fastAccept(schema) ?? askZod;
    accepts.set(schema, accept);
  }
  return accept;
}

export function recordId(source: Source, entity: string, record: unknown): string {
  checked(source, entity);
  return source === 'repcard'
    ? repcardRecordId(entity as RepcardEntity, record)
    : curagenesisRecordId(entity as CuragenesisEntity, record);
}

export function recordUpdatedAt(source: Source, entity: string, record: unknown): string | null {
  checked(source, entity);
  return source === 'repcard'
    ? repcardUpdatedAt(entity as RepcardEntity, record)
    : curagenesisUpdatedAt(entity as CuragenesisEntity, record);
}
