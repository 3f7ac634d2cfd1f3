import { DEMO_WEBHOOK_SECRET } from '@tributary/config';

/**
 * The webhook secrets the gateway verifies with, as configured: one (`CURAGENESIS_WEBHOOK_SECRET`) or
 * several at once (`CURAGENESIS_WEBHOOK_SECRETS`, separated by commas and/or spaces), so that a secret
 * can be rotated without refusing a delivery: add the new one, move the sender over, drop the old one.
 * A secret is plain text (its UTF-8 bytes are the key) or Standard Webhooks' `whsec_<base64>`.
 * Pure: no I/O.
 */

/** The least key material a secret must carry outside demo mode, in bytes. */
export const MIN_SECRET_BYTES = 32;
/** 32 random bytes written as hex are 64 characters of 4 bits: 256 bits. */
const MIN_SECRET_BITS = MIN_SECRET_BYTES * 8;
const WHSEC = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The secrets of a list: split on commas and whitespace, empty items dropped, each once. */
export function parseSecretList(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return [...new Set(raw.split(/[\s,]+/).filter((s) => s.length > 0))];
}

/** Every configured secret: the single one first, then the list (each once). */
export function configuredSecrets(single: string | undefined, list: string | undefined): string[] {
  return [...new Set([...(single === undefined ? [] : [single]), ...parseSecretList(list)])];
}

/** Why a `whsec_` secret is not well-formed, or null (any other secret is well-formed). */
export function whsecProblem(secret: string): string | null {
  if (!secret.startsWith(WHSEC)) return null;
  const rest = secret.slice(WHSEC.length);
  if (!BASE64.test(rest) || Buffer.from(rest, 'base64').length === 0) {
    return 'a whsec_ secret must be whsec_ followed by non-empty base64';
  }
  return null;
}

/**
 * Bits of key material a secret can hold at most, judged by its alphabet: `whsec_` gives its decoded
 * bytes; hex digits count 4 bits each, the base64 alphabet 6, anything else 6.5. A guess at the upper
 * bound (nothing can prove randomness), enough to refuse `secret`, `changeme` or a short password.
 */
export function secretBits(secret: string): number {
  if (secret.startsWith(WHSEC)) return Buffer.from(secret.slice(WHSEC.length), 'base64').length * 8;
  const perChar = /^[0-9a-f]+$/i.test(secret) ? 4 : /^[A-Za-z0-9+/=_-]+$/.test(secret) ? 6 : 6.5;
  return secret.length * perChar;
}

/**
 * Why a secret may not be used outside demo mode, or null: the public demo value, fewer than 32
 * bytes of key material, or too few distinct characters to be random.
 */
export function weakSecretProblem(secret: string): string | null {
  if (secret === DEMO_WEBHOOK_SECRET || secret.includes(DEMO_WEBHOOK_SECRET)) {
    return 'is the public demo value, refused outside demo mode (TRIBUTARY_DEMO=1)';
  }
  const distinct = new Set(secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret).size;
  if (secretBits(secret) < MIN_SECRET_BITS || distinct < 8) {
    return (
      `must hold at least ${MIN_SECRET_BYTES} random bytes outside demo mode ` +
      `(e.g. \`openssl rand -hex ${MIN_SECRET_BYTES}\`, or whsec_ + base64 of ${MIN_SECRET_BYTES} random bytes)`
    );
  }
  return null;
}
