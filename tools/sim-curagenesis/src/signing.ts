/**
 * Webhook signatures the sender can produce:
 *  - the CRM's scheme: `x-webhook-signature` = lowercase hex HMAC-SHA256 of the raw body;
 *  - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with
 *    the secret's bytes, or, for a `whsec_` secret, with the base64 decoding of the rest (as the spec does).
 */
import { createHmac } from 'node:crypto';

export const HMAC_SIGNATURE_HEADER = 'x-webhook-signature';
export const STANDARD_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;
/** Standard Webhooks' replay window. */
export const STANDARD_TOLERANCE_SEC = 5 * 60;

export function signHmacHex(secret: string | Buffer, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** The HMAC key Standard Webhooks derives from a secret. */
export function standardWebhooksKey(secret: string | Buffer): Buffer {
  if (typeof secret === 'string' && secret.startsWith('whsec_'))
    return Buffer.from(secret.slice(6), 'base64');
  return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
}

export function signStandardWebhooks(
  secret: string | Buffer,
  id: string,
  timestampSec: number,
  rawBody: string | Buffer,
): string {
  const mac = createHmac('sha256', standardWebhooksKey(secret))
    .update(`${id}.${timestampSec}.`)
    .update(rawBody)
    .digest('base64');
  return `v1,${mac}`;
}
