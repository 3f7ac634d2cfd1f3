import { createHash } from 'node:crypto';

/**
 * The id of a delivery: the authenticated Standard Webhooks `webhook-id` when there is one, else
 * `sha256:` + the hex SHA-256 of the raw body (the CRM's hex scheme has no id and no timestamp, so an
 * identical body is the same delivery: this is what catches its replays).
 */
export function deliveryIdOf(webhookId: string | null, rawBody: Buffer): string {
  return webhookId ?? `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}
