import { TributaryError } from '@tributary/core';
import type { z } from 'zod';
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
