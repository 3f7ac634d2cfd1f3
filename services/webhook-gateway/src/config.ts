import { z } from 'zod';
import { TOPIC_NAMESPACE } from '@tributary/contracts';
import { httpEnv, kafkaEnv, logEnv, positiveIntVar, registryEnv } from '@tributary/config';

const HOUR_MS = 60 * 60 * 1000;

/** A body-parser size: `256kb`, `1mb`, `512` (bytes). */
const BYTE_SIZE = /^\d+(\.\d+)?\s*(b|kb|mb)?$/i;

/** A `whsec_` secret is base64 after the prefix (Standard Webhooks); the key must not be empty. */
function validSecret(secret: string): boolean {
  if (!secret.startsWith('whsec_')) return true;
  const rest = secret.slice('whsec_'.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(rest) && Buffer.from(rest, 'base64').length > 0;
}

export const webhookGatewayConfigSchema = z.object({
  ...kafkaEnv,
  ...registryEnv,
  ...httpEnv(3001),
  ...logEnv,
  /**
   * The shared secret of CuraGenesis webhooks (plain, or `whsec_<base64>`). Required: without it the
   * gateway refuses to start, because it never accepts an unsigned body.
   */
  CURAGENESIS_WEBHOOK_SECRET: z
    .string()
    .min(1, 'must not be empty')
    .refine(validSecret, 'a whsec_ secret must be whsec_ followed by non-empty base64'),
  /** Largest body accepted (413 beyond it). */
  WEBHOOK_BODY_LIMIT: z
    .string()
    .trim()
    .regex(BYTE_SIZE, 'must be a size such as 256kb or 1mb')
    .default('256kb'),
  /** How long a delivery id is remembered to answer its repeats 200 duplicate. */
  WEBHOOK_DEDUP_WINDOW_MS: positiveIntVar(24 * HOUR_MS),
  /** Bound of the in-memory dedup window (oldest ids are forgotten first). */
  WEBHOOK_DEDUP_MAX_ENTRIES: positiveIntVar(100_000),
  /** Standard Webhooks: how far `webhook-timestamp` may be from our clock, either way. */
  WEBHOOK_TOLERANCE_SEC: positiveIntVar(300),
  /**
   * One per running gateway (a pod name, a hostname): it names the Kafka transactional id, so two
   * replicas must differ, and a restarted replica with the same id fences its zombie.
   */
  WEBHOOK_GATEWAY_INSTANCE_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, dot, dash or underscore')
    .default('webhook-gateway-1'),
});
export type WebhookGatewayConfig = z.output<typeof webhookGatewayConfigSchema>;

/**
 * The Kafka transactional id of an instance: `webhook-gateway-<instance>` (the default instance id
 * already reads `webhook-gateway-1`, so the prefix is not doubled), under the topic namespace.
 */
export function transactionalIdOf(instanceId: string): string {
  const id = instanceId.startsWith('webhook-gateway') ? instanceId : `webhook-gateway-${instanceId}`;
  return `${TOPIC_NAMESPACE}${id}`;
}
