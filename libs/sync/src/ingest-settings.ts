import type { Source } from '@tributary/contracts';

/**
 * The settings every ingest service reads, named after its source so that both services spell them
 * alike (for `repcard`):
 *
 *   KAFKA_BROKERS, SCHEMA_REGISTRY_URL
 *   INGEST_REPCARD_GROUP_ID            the command consumer group
 *   INGEST_REPCARD_TRANSACTIONAL_ID    a prefix: each replica appends its instance id (ADR 0011)
 *   TRIBUTARY_INSTANCE_ID, HOSTNAME    the replica's instance id (a restart with the same one fences its zombie)
 *   INGEST_REPCARD_SESSION_TIMEOUT_MS  how long a crashed ingest holds its commands
 *   REPCARD_API_URL, REPCARD_TIMEOUT_MS
 *   REPCARD_RATE_LIMIT per REPCARD_RATE_PERIOD_MS   one request budget per API key
 *
 * A service's config schema declares them (with its defaults); this type makes the compiler check it.
 */
export type IngestConfig<S extends Source> = {
  KAFKA_BROKERS: string[];
  SCHEMA_REGISTRY_URL: string;
  TRIBUTARY_INSTANCE_ID?: string | undefined;
  HOSTNAME?: string | undefined;
} & Record<
  `INGEST_${Uppercase<S>}_GROUP_ID` | `INGEST_${Uppercase<S>}_TRANSACTIONAL_ID` | `${Uppercase<S>}_API_URL`,
  string
> &
  Record<
    | `INGEST_${Uppercase<S>}_SESSION_TIMEOUT_MS`
    | `${Uppercase<S>}_RATE_LIMIT`
    | `${Uppercase<S>}_RATE_PERIOD_MS`
    | `${Uppercase<S>}_TIMEOUT_MS`,
    number
  >;

export interface IngestSettings {
  /** The service's name and Kafka client id: `ingest-<source>`. */
  name: string;
  brokers: string[];
  registryUrl: string;
  groupId: string;
  transactionalId: string;
  sessionTimeoutMs: number;
  api: { baseUrl: string; timeoutMs: number; rateLimit: number; ratePeriodMs: number };
}

/** The ingest settings of `source` out of its service's config. */
export function ingestSettings<S extends Source>(source: S, config: IngestConfig<S>): IngestSettings {
  const env = config as unknown as Record<string, unknown>;
  const own = (name: string) => env[`INGEST_${source.toUpperCase()}_${name}`];
  const api = (name: string) => env[`${source.toUpperCase()}_${name}`];
  return {
    name: `ingest-${source}`,
    brokers: config.KAFKA_BROKERS,
    registryUrl: config.SCHEMA_REGISTRY_URL,
    groupId: own('GROUP_ID') as string,
    transactionalId: own('TRANSACTIONAL_ID') as string,
    sessionTimeoutMs: own('SESSION_TIMEOUT_MS') as number,
    api: {
      baseUrl: api('API_URL') as string,
      timeoutMs: api('TIMEOUT_MS') as number,
      rateLimit: api('RATE_LIMIT') as number,
      ratePeriodMs: api('RATE_PERIOD_MS') as number,
    },
  };
}
