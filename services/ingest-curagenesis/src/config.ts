import { z } from 'zod';
import { TOPIC_NAMESPACE } from '@tributary/contracts';
import { instanceEnv, kafkaClusterEnv, refineKafkaCluster } from '@tributary/service';
import { booleanVar, httpEnv, kafkaEnv, logEnv, positiveIntVar, registryEnv } from '@tributary/config';

export const ingestCuragenesisConfigSchema = z
  .object({
    ...kafkaEnv,
    ...kafkaClusterEnv,
    ...registryEnv,
    ...httpEnv(3003),
    ...logEnv,
    ...instanceEnv,
    /** Base URL of the partner API (paths `/api/partner/v1/...` are appended). No public default exists. */
    CURAGENESIS_API_URL: z.url({
      protocol: /^https?$/,
      error:
        'is required: the CuraGenesis partner API base URL, http:// or https:// (npm start uses the simulator when it is unset)',
    }),
    CURAGENESIS_API_KEY: z
      .string({
        error: 'is required (the CuraGenesis partner API key; npm start uses the simulator when it is unset)',
      })
      .trim()
      .min(1, 'must not be empty'),
    /** The header carrying the key (an older deployment used `x-vendor-token`). */
    CURAGENESIS_AUTH_HEADER: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9-]+$/, { error: 'must be an HTTP header name' })
      .default('x-vendor-key'),
    /** `page_size` of both endpoints (the documented value is 200). */
    CURAGENESIS_PAGE_SIZE: positiveIntVar(200),
    /**
     * Our own request budget. CuraGenesis documents no rate limit: the default is generous but finite
     * (20 requests/s on average), so a full sync never hammers a partner API.
     */
    CURAGENESIS_RATE_LIMIT: positiveIntVar(1200),
    CURAGENESIS_RATE_PERIOD_MS: positiveIntVar(60_000),
    /** Practices whose orders are requested at once during an orders sync. */
    CURAGENESIS_CONCURRENCY: positiveIntVar(4),
    /** Orders published per Kafka transaction (with their checkpoint) during an orders sync. */
    CURAGENESIS_ORDERS_BATCH: positiveIntVar(1000),
    CURAGENESIS_TIMEOUT_MS: positiveIntVar(30_000),
    /** At most one scheduled or manual sync per this interval; a `force`d command runs anyway. */
    CURAGENESIS_MIN_SYNC_INTERVAL_MS: positiveIntVar(3_600_000),
    /** How far an incremental sync reaches back before the last run's start (clock skew, late writes). */
    CURAGENESIS_OVERLAP_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(60),
    /**
     * Webhooks as hints (ADR 0026): re-fetch the practice or order each verified delivery names and
     * project the source's answer. `false` leaves webhooks projected as they came.
     */
    CURAGENESIS_WEBHOOK_REFETCH: booleanVar(true),
    /** Group session timeout: how long a crashed ingest holds its commands before another takes over. */
    INGEST_CURAGENESIS_SESSION_TIMEOUT_MS: positiveIntVar(30_000),
    INGEST_CURAGENESIS_GROUP_ID: z.string().min(1).default(`${TOPIC_NAMESPACE}ingest-curagenesis`),
    /** Kafka transactional id prefix: each replica appends its instance id (TRIBUTARY_INSTANCE_ID, else HOSTNAME), so replicas never fence each other and a restarted one fences its zombie (ADR 0011). */
    INGEST_CURAGENESIS_TRANSACTIONAL_ID: z.string().min(1).default(`${TOPIC_NAMESPACE}ingest-curagenesis`),
  })
  .superRefine(refineKafkaCluster);
export type IngestCuragenesisConfig = z.output<typeof ingestCuragenesisConfigSchema>;
