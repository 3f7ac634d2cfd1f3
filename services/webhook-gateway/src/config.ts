import { z } from 'zod';
import { TOPIC_NAMESPACE } from '@tributary/contracts';
import { instanceEnv, kafkaClusterEnv, refineKafkaCluster } from '@tributary/service';
import {
  databaseEnv,
  demoModeEnv,
  httpEnv,
  intRangeVar,
  kafkaEnv,
  logEnv,
  positiveIntVar,
  registryEnv,
} from '@tributary/config';
import { configuredSecrets, parseSecretList, weakSecretProblem, whsecProblem } from './domain/secrets';

const HOUR_MS = 60 * 60 * 1000;

/** A body-parser size: `256kb`, `1mb`, `512` (bytes). */
const BYTE_SIZE = /^\d+(\.\d+)?\s*(b|kb|mb)?$/i;

const SECRET_VAR = 'CURAGENESIS_WEBHOOK_SECRET';
const SECRETS_VAR = 'CURAGENESIS_WEBHOOK_SECRETS';

export const webhookGatewayConfigSchema = z
  .object({
    ...kafkaEnv,
    ...kafkaClusterEnv,
    ...registryEnv,
    ...databaseEnv,
    ...httpEnv(3001),
    ...logEnv,
    ...demoModeEnv,
    ...instanceEnv,
    /**
     * The shared secret of CuraGenesis webhooks (plain, or `whsec_<base64>`). This or
     * CURAGENESIS_WEBHOOK_SECRETS is required: without a secret the gateway refuses to start, because
     * it never accepts an unsigned body. Outside demo mode: at least 32 random bytes, never the demo value.
     */
    CURAGENESIS_WEBHOOK_SECRET: z
      .string()
      .min(1, 'must not be empty')
      .refine((s) => whsecProblem(s) === null, 'a whsec_ secret must be whsec_ followed by non-empty base64')
      .optional(),
    /**
     * Several secrets active at once (rotation), separated by commas and/or spaces; a delivery signed
     * with any of them is accepted. Adds to CURAGENESIS_WEBHOOK_SECRET when both are set.
     */
    CURAGENESIS_WEBHOOK_SECRETS: z.string().optional(),
    /**
     * RepCard webhooks as hints (ADR 0026), off unless set: the secret path segment of
     * `POST /api/webhooks/repcard/<secret>/<event>` (RepCard signs nothing). At least 32 URL-safe
     * characters, e.g. `openssl rand -hex 24`.
     */
    REPCARD_WEBHOOK_PATH_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{32,}$/, 'must be at least 32 URL-safe characters (A-Z a-z 0-9 _ -)')
      .optional(),
    /** Largest body accepted (413 beyond it). */
    WEBHOOK_BODY_LIMIT: z
      .string()
      .trim()
      .regex(BYTE_SIZE, 'must be a size such as 256kb or 1mb')
      .default('256kb'),
    /** How long a delivery id is remembered to answer its repeats 200 duplicate. */
    WEBHOOK_DEDUP_WINDOW_MS: positiveIntVar(24 * HOUR_MS),
    /** Bound of the in-memory cache in front of the PostgreSQL dedup table (oldest ids are forgotten first). */
    WEBHOOK_DEDUP_MAX_ENTRIES: positiveIntVar(100_000),
    /**
     * How long a delivery claimed by a replica that has not answered yet (still publishing, or crashed)
     * holds off its repeats (answered 503 WEBHOOK_IN_PROGRESS) before another attempt may take it over.
     */
    WEBHOOK_CLAIM_TIMEOUT_MS: positiveIntVar(30_000),
    /**
     * The longest a delivery waits for Kafka to commit it (and for the dedup table) before it is answered
     * 503 with Retry-After. A publication still running then goes on: if it commits, the sender's retry
     * is answered 200 duplicate.
     */
    WEBHOOK_PUBLISH_TIMEOUT_MS: positiveIntVar(2_000),
    /** The Retry-After of a 503 or 429, seconds. */
    WEBHOOK_RETRY_AFTER_SEC: positiveIntVar(5),
    /**
     * Deliveries being handled at once (verified, awaiting Kafka) beyond which new ones are answered 429
     * with Retry-After at once, before their body is read.
     */
    WEBHOOK_MAX_IN_FLIGHT: positiveIntVar(2_000),
    /**
     * Event-loop delay (ms) beyond which new deliveries are answered 429 with Retry-After at once,
     * before their body is read: the CPU is saturated, and taking more would only make every answer late.
     */
    WEBHOOK_MAX_EVENT_LOOP_DELAY_MS: positiveIntVar(200),
    /**
     * The event-loop delay sheds only while at least this many deliveries are in flight here: below,
     * the delay is the machine's other work, not this gateway's load, and refusing helps no one.
     */
    WEBHOOK_DELAY_SHED_MIN_IN_FLIGHT: intRangeVar(0, 100_000, 64),
    /**
     * Publications handed to Kafka and not settled yet (answered or not) beyond which new deliveries are
     * answered 503 with Retry-After at once: Kafka is behind (or unreachable).
     */
    WEBHOOK_MAX_QUEUED_TO_KAFKA: positiveIntVar(2_000),
    /**
     * Kafka transactional producers of this replica: a group of deliveries commits on whichever is
     * free, so one slow transaction does not hold every delivery behind it. 1 by default: with more,
     * the way back after a Kafka outage takes about 30 s longer (each producer heals in turn).
     */
    WEBHOOK_KAFKA_PRODUCERS: intRangeVar(1, 16, 1),
    /**
     * The least milliseconds between two transactions' starts on one producer. After a quiet spell a
     * delivery's transaction starts at once; under load deliveries wait up to this long and share
     * fewer, larger transactions (each costs milliseconds of CPU in the gateway and the broker,
     * whatever it holds). 0: a transaction starts whenever a producer is free.
     */
    WEBHOOK_KAFKA_TX_MIN_INTERVAL_MS: intRangeVar(0, 1_000, 20),
    /** PostgreSQL connections of the dedup table. */
    WEBHOOK_DB_POOL_MAX: intRangeVar(1, 100, 4),
    /** The internal port of `/metrics`, `/readyz` and `/healthz` (never expose it publicly; 0: any free port). */
    INTERNAL_PORT: intRangeVar(0, 65535, 9101),
    /** The address the internal port binds. */
    INTERNAL_HOST: z.string().trim().min(1).default('0.0.0.0'),
    /** Standard Webhooks: how far `webhook-timestamp` may be from our clock, either way. */
    WEBHOOK_TOLERANCE_SEC: positiveIntVar(300),
    /**
     * Names the gateway (dedup claims) and prefixes its Kafka transactional id, to which the replica's
     * instance id (TRIBUTARY_INSTANCE_ID, else HOSTNAME) is appended (ADR 0011): two replicas never
     * fence each other even with this default, and a restarted replica fences its zombie.
     */
    WEBHOOK_GATEWAY_INSTANCE_ID: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, dot, dash or underscore')
      .default('webhook-gateway-1'),
  })
  .superRefine((config, ctx) => {
    const secrets = configuredSecrets(config.CURAGENESIS_WEBHOOK_SECRET, config.CURAGENESIS_WEBHOOK_SECRETS);
    if (secrets.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [SECRET_VAR],
        message: `is required but not set (or set ${SECRETS_VAR})`,
      });
      return;
    }
    for (const secret of parseSecretList(config.CURAGENESIS_WEBHOOK_SECRETS)) {
      const problem = whsecProblem(secret);
      if (problem) ctx.addIssue({ code: 'custom', path: [SECRETS_VAR], message: `an item: ${problem}` });
    }
    if (config.TRIBUTARY_DEMO) return;
    const weak = (secret: string | undefined) => (secret === undefined ? null : weakSecretProblem(secret));
    const single = weak(config.CURAGENESIS_WEBHOOK_SECRET);
    if (single) ctx.addIssue({ code: 'custom', path: [SECRET_VAR], message: single });
    const listed = parseSecretList(config.CURAGENESIS_WEBHOOK_SECRETS)
      .map(weak)
      .find((p) => p !== null);
    if (listed) ctx.addIssue({ code: 'custom', path: [SECRETS_VAR], message: `an item ${listed}` });
  })
  .superRefine(refineKafkaCluster);
export type WebhookGatewayConfig = z.output<typeof webhookGatewayConfigSchema>;

/** The secrets a delivery may be signed with (at least one: the schema refuses a config without). */
export function webhookSecretsOf(config: WebhookGatewayConfig): string[] {
  return configuredSecrets(config.CURAGENESIS_WEBHOOK_SECRET, config.CURAGENESIS_WEBHOOK_SECRETS);
}

/**
 * The Kafka transactional id of an instance: `webhook-gateway-<instance>` (the default instance id
 * already reads `webhook-gateway-1`, so the prefix is not doubled), under the topic namespace.
 */
export function transactionalIdOf(instanceId: string): string {
  const id = instanceId.startsWith('webhook-gateway') ? instanceId : `webhook-gateway-${instanceId}`;
  return `${TOPIC_NAMESPACE}${id}`;
}
