import { z } from 'zod';
import { TOPIC_NAMESPACE } from '@tributary/contracts';
import { instanceEnv, kafkaClusterEnv, refineKafkaCluster } from '@tributary/service';
import { booleanVar, httpEnv, kafkaEnv, logEnv, positiveIntVar, registryEnv } from '@tributary/config';

export const ingestRepcardConfigSchema = z
  .object({
    ...kafkaEnv,
    ...kafkaClusterEnv,
    ...registryEnv,
    ...httpEnv(3002),
    ...logEnv,
    ...instanceEnv,
    REPCARD_API_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .default('https://app.repcard.com/api'),
    REPCARD_API_KEY: z
      .string({ error: 'is required (the RepCard API key; npm start uses the simulator when it is unset)' })
      .trim()
      .min(1, 'must not be empty'),
    /** Requests per period allowed for the API key (RepCard: 100). */
    REPCARD_RATE_LIMIT: positiveIntVar(100),
    REPCARD_RATE_PERIOD_MS: positiveIntVar(60_000),
    REPCARD_PER_PAGE: positiveIntVar(100),
    /** Page requests in flight at once once the page count is known. */
    REPCARD_CONCURRENCY: positiveIntVar(8),
    REPCARD_TIMEOUT_MS: positiveIntVar(30_000),
    /** First day a full sync of date-filtered entities reads (their date filter is required). */
    REPCARD_HISTORY_START: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).default('2015-01-01'),
    /** How far incremental windows reach back before the last high-water mark. */
    REPCARD_OVERLAP_DAYS: z.coerce.number().int().min(0).max(30).default(1),
    REPCARD_USER_TIMEZONE: z.string().trim().min(1).optional(),
    /**
     * Webhooks as hints (ADR 0026): re-fetch the records RepCard webhooks name (they arrive only
     * when the gateway's REPCARD_WEBHOOK_PATH_SECRET routes are on). `false`: ignore them.
     */
    REPCARD_WEBHOOK_REFETCH: booleanVar(true),
    /** Group session timeout: how long a crashed ingest holds its commands before another takes over. */
    INGEST_REPCARD_SESSION_TIMEOUT_MS: positiveIntVar(30_000),
    INGEST_REPCARD_GROUP_ID: z.string().min(1).default(`${TOPIC_NAMESPACE}ingest-repcard`),
    /** Kafka transactional id prefix: each replica appends its instance id (TRIBUTARY_INSTANCE_ID, else HOSTNAME), so replicas never fence each other and a restarted one fences its zombie (ADR 0011). */
    INGEST_REPCARD_TRANSACTIONAL_ID: z.string().min(1).default(`${TOPIC_NAMESPACE}ingest-repcard`),
  })
  .superRefine(refineKafkaCluster);
export type IngestRepcardConfig = z.output<typeof ingestRepcardConfigSchema>;
