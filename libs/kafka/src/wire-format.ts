import { ValidationError } from '@tributary/core';

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the
 * serialized value (here JSON). Pure functions, so that framing is tested without a registry.
 */
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export interface Framed {
  schemaId: number;
  payload: Buffer;
}

export function frame(schemaId: number, payload: Buffer): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new ValidationError(`invalid schema id ${schemaId}`, { details: { schemaId } });
  }
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}

/** Splits a framed value; throws ValidationError (code VALIDATION_FAILED) when it is not one. */
export function unframe(buffer: Buffer | null | undefined): Framed {
  if (!buffer || buffer.length === 0) {
    throw new ValidationError('not in the Confluent wire format: empty value', {
      details: { reason: 'empty' },
    });
  }
  if (buffer.length < HEADER_LENGTH) {
    throw new ValidationError(
      `not in the Confluent wire format: ${buffer.length} bytes, fewer than the header`,
      {
        details: { reason: 'short', length: buffer.length },
      },
    );
  }
  const magic = buffer.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new ValidationError(
      `not in the Confluent wire format: magic byte ${magic}, expected ${MAGIC_BYTE}`,
      {
        details: { reason: 'magic_byte', magicByte: magic },
      },
    );
  }
  const schemaId = buffer.readInt32BE(1);
  if (schemaId <= 0) {
    throw new ValidationError(`not in the Confluent wire format: schema id ${schemaId}`, {
      details: { reason: 'schema_id', schemaId },
    });
  }
  return { schemaId, payload: buffer.subarray(HEADER_LENGTH) };
}

/** `\u`: in JSON text, the only way a NUL or a lone surrogate can get into a parsed string. */
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * Whether `value` (a JSON text, framed or not) holds no `\u`. Decoded as UTF-8 (invalid sequences
 * become U+FFFD) and parsed as JSON (which forbids raw control characters in strings), such text
 * gives strings and keys with no NUL and no lone surrogate: a consumer that must replace those
 * (PostgreSQL refuses them) need not look. False also when the bytes merely contain `\u` (an
 * escaped backslash before a `u`, or the header's schema id): then the value is looked at.
 */
export function holdsNoUnicodeEscape(value: Buffer | null | undefined): boolean {
  return value !== null && value !== undefined && value.indexOf(UNICODE_ESCAPE) === -1;
}

/** The JSON payload of a framed value; throws ValidationError when it is not JSON. */
export function parseJsonPayload(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new ValidationError(`payload is not JSON: ${(err as Error).message}`, {
      cause: err,
      details: { reason: 'json' },
    });
  }
}
