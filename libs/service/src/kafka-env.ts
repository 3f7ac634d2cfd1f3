import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { booleanVar, positiveIntVar } from '@tributary/config';
import { allTopicSpecs, TOPIC_FAMILIES, type TopicFamily } from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
import {
  planTopics,
  SASL_MECHANISMS,
  type KafkaSecuritySettings,
  type PlannedTopic,
  type ProvisioningSettings,
  type TopicProvisioning,
} from '@tributary/kafka';

/**
 * How a service reaches a real Kafka cluster and its schema registry, and how it provisions topics:
 * one zod shape to spread into every service's config schema (`...kafkaClusterEnv`), with
 * `.superRefine(refineKafkaCluster)` for the rules that tie variables together. Parsed once at
 * start-up: a bad value exits 78 naming the variable; secrets are never shown (loadConfig masks
 * names with PASSWORD/SECRET/KEY). README "Use your own Kafka" lists every variable.
 */

/** A PEM file read at start-up: its path and text (an unreadable file names its variable). */
function pemFileVar() {
  return z
    .string()
    .trim()
    .transform((path, ctx) => {
      try {
        const pem = readFileSync(path, 'utf8');
        if (!pem.includes('-----BEGIN ')) throw new Error('not a PEM file (no -----BEGIN line)');
        return { path, pem };
      } catch (err) {
        // (err.message: errors of node:fs are not `instanceof Error` in every realm, e.g. under jest)
        const reason =
          typeof (err as { message?: unknown })?.message === 'string'
            ? (err as Error).message
            : errorMessage(err);
        ctx.issues.push({ code: 'custom', input: path, message: `cannot be read: ${reason}` });
        return z.NEVER;
      }
    })
    .optional();
}

const optionalText = () => z.string().trim().min(1).optional();
const partitionsVar = () => positiveIntVar().optional();
const replicasVar = () => positiveIntVar().optional();

type Upper<F extends string> = Uppercase<F>;
type FamilyVars = {
  [F in TopicFamily as `KAFKA_TOPIC_PARTITIONS_${Upper<F>}`]: ReturnType<typeof partitionsVar>;
} & {
  [F in TopicFamily as `KAFKA_TOPIC_REPLICATION_FACTOR_${Upper<F>}`]: ReturnType<typeof replicasVar>;
} & {
  [F in TopicFamily as `KAFKA_TOPIC_MIN_INSYNC_REPLICAS_${Upper<F>}`]: ReturnType<typeof replicasVar>;
};

function familyVars(): FamilyVars {
  const shape: Record<string, unknown> = {};
  for (const family of TOPIC_FAMILIES) {
    const f = family.toUpperCase();
    shape[`KAFKA_TOPIC_PARTITIONS_${f}`] = partitionsVar();
    shape[`KAFKA_TOPIC_REPLICATION_FACTOR_${f}`] = replicasVar();
    shape[`KAFKA_TOPIC_MIN_INSYNC_REPLICAS_${f}`] = replicasVar();
  }
  return shape as FamilyVars;
}

/** Connection to secured brokers and an authenticated registry. */
export const kafkaConnectionEnv = {
  /** plain | scram-sha-256 | scram-sha-512 | oauthbearer; unset: no SASL. */
  KAFKA_SASL_MECHANISM: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(SASL_MECHANISMS, { error: `must be one of ${SASL_MECHANISMS.join(', ')}` }))
    .optional(),
  KAFKA_SASL_USERNAME: optionalText(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** OAUTHBEARER: the token endpoint of an OAuth 2.0 client-credentials grant. */
  KAFKA_SASL_OAUTHBEARER_TOKEN_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional(),
  KAFKA_SASL_OAUTHBEARER_CLIENT_ID: optionalText(),
  KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: z.string().min(1).optional(),
  KAFKA_SASL_OAUTHBEARER_SCOPE: optionalText(),
  /** TLS to the brokers; unset: on when a CA or client certificate file is given. */
  KAFKA_SSL: booleanVar().optional(),
  KAFKA_SSL_CA_FILE: pemFileVar(),
  KAFKA_SSL_CERT_FILE: pemFileVar(),
  KAFKA_SSL_KEY_FILE: pemFileVar(),
  KAFKA_SSL_KEY_PASSWORD: z.string().min(1).optional(),
  /** false: accept any broker certificate (a test cluster only; said at start-up). */
  KAFKA_SSL_REJECT_UNAUTHORIZED: booleanVar(true),
  SCHEMA_REGISTRY_USERNAME: optionalText(),
  SCHEMA_REGISTRY_PASSWORD: z.string().min(1).optional(),
};

/** Topic provisioning: created by the services (default) or only checked, and their settings per family. */
export const topicProvisioningEnv = {
  /** false: services never create topics; they check them and refuse to start naming a topic that differs. */
  KAFKA_TOPICS_CREATE: booleanVar(true),
  KAFKA_TOPIC_PARTITIONS: partitionsVar(),
  KAFKA_TOPIC_REPLICATION_FACTOR: replicasVar(),
  KAFKA_TOPIC_MIN_INSYNC_REPLICAS: replicasVar(),
  ...familyVars(),
};

export const kafkaClusterEnv = { ...kafkaConnectionEnv, ...topicProvisioningEnv };

const clusterObject = z.object(kafkaClusterEnv);
/** The parsed variables (a service config spreading kafkaClusterEnv fits). */
export type KafkaClusterConfig = z.output<typeof clusterObject>;

type Ctx = z.RefinementCtx;

/** The rules between variables; add to a service's schema with `.superRefine(refineKafkaCluster)`. */
export function refineKafkaCluster(c: KafkaClusterConfig, ctx: Ctx): void {
  const refuse = (variable: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [variable], message });
  const mechanism = c.KAFKA_SASL_MECHANISM;
  if (mechanism === 'oauthbearer') {
    for (const v of [
      'KAFKA_SASL_OAUTHBEARER_TOKEN_URL',
      'KAFKA_SASL_OAUTHBEARER_CLIENT_ID',
      'KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET',
    ] as const) {
      if (c[v] === undefined) refuse(v, 'is required with KAFKA_SASL_MECHANISM=oauthbearer');
    }
  } else if (mechanism !== undefined) {
    if (c.KAFKA_SASL_USERNAME === undefined)
      refuse('KAFKA_SASL_USERNAME', `is required with KAFKA_SASL_MECHANISM=${mechanism}`);
    if (c.KAFKA_SASL_PASSWORD === undefined)
      refuse('KAFKA_SASL_PASSWORD', `is required with KAFKA_SASL_MECHANISM=${mechanism}`);
  } else if (c.KAFKA_SASL_USERNAME !== undefined) {
    refuse(
      'KAFKA_SASL_MECHANISM',
      'is required when KAFKA_SASL_USERNAME is set (plain, scram-sha-256, scram-sha-512)',
    );
  }
  if ((c.KAFKA_SSL_CERT_FILE === undefined) !== (c.KAFKA_SSL_KEY_FILE === undefined)) {
    refuse(
      c.KAFKA_SSL_CERT_FILE === undefined ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE',
      'a client certificate needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE',
    );
  }
  if (c.KAFKA_SSL === false) {
    for (const v of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE'] as const) {
      if (c[v] !== undefined) refuse(v, 'is set but KAFKA_SSL=false');
    }
  }
  if ((c.SCHEMA_REGISTRY_USERNAME === undefined) !== (c.SCHEMA_REGISTRY_PASSWORD === undefined)) {
    refuse(
      c.SCHEMA_REGISTRY_USERNAME === undefined ? 'SCHEMA_REGISTRY_USERNAME' : 'SCHEMA_REGISTRY_PASSWORD',
      'registry credentials need both SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD',
    );
  }
  const provisioning = topicProvisioningOf(c);
  for (const family of TOPIC_FAMILIES) {
    const own = provisioning.families[family] ?? {};
    const rf = own.replicationFactor ?? provisioning.defaults.replicationFactor ?? 1;
    const minIsr = own.minInsyncReplicas ?? provisioning.defaults.minInsyncReplicas;
    if (minIsr !== undefined && minIsr > rf) {
      const variable =
        own.minInsyncReplicas !== undefined
          ? `KAFKA_TOPIC_MIN_INSYNC_REPLICAS_${family.toUpperCase()}`
          : 'KAFKA_TOPIC_MIN_INSYNC_REPLICAS';
      refuse(
        variable,
        `${minIsr} is more than the replication factor ${rf} of the ${family} topics (no write could ever succeed)`,
      );
      return;
    }
  }
}

/** The schema of these variables alone (the CLI, and connectPlatform when given no config). */
export const kafkaClusterSchema = clusterObject.superRefine(refineKafkaCluster);

/** TLS and SASL settings of a parsed config (PEM texts already read). */
export function kafkaSecurityOf(c: KafkaClusterConfig): KafkaSecuritySettings {
  const settings: KafkaSecuritySettings = {};
  const tls = c.KAFKA_SSL ?? (c.KAFKA_SSL_CA_FILE !== undefined || c.KAFKA_SSL_CERT_FILE !== undefined);
  if (tls) {
    settings.tls = {
      rejectUnauthorized: c.KAFKA_SSL_REJECT_UNAUTHORIZED,
      ...(c.KAFKA_SSL_CA_FILE ? { ca: c.KAFKA_SSL_CA_FILE.pem } : {}),
      ...(c.KAFKA_SSL_CERT_FILE ? { cert: c.KAFKA_SSL_CERT_FILE.pem } : {}),
      ...(c.KAFKA_SSL_KEY_FILE ? { key: c.KAFKA_SSL_KEY_FILE.pem } : {}),
      ...(c.KAFKA_SSL_KEY_PASSWORD ? { passphrase: c.KAFKA_SSL_KEY_PASSWORD } : {}),
    };
  }
  const mechanism = c.KAFKA_SASL_MECHANISM;
  if (mechanism === 'oauthbearer') {
    settings.sasl = {
      mechanism,
      tokenUrl: c.KAFKA_SASL_OAUTHBEARER_TOKEN_URL!,
      clientId: c.KAFKA_SASL_OAUTHBEARER_CLIENT_ID!,
      clientSecret: c.KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET!,
      ...(c.KAFKA_SASL_OAUTHBEARER_SCOPE ? { scope: c.KAFKA_SASL_OAUTHBEARER_SCOPE } : {}),
    };
  } else if (mechanism !== undefined) {
    settings.sasl = { mechanism, username: c.KAFKA_SASL_USERNAME!, password: c.KAFKA_SASL_PASSWORD! };
  }
  return settings;
}

/** The registry's basic-auth credentials, when configured. */
export function registryAuthOf(c: KafkaClusterConfig): { username: string; password: string } | undefined {
  return c.SCHEMA_REGISTRY_USERNAME && c.SCHEMA_REGISTRY_PASSWORD
    ? { username: c.SCHEMA_REGISTRY_USERNAME, password: c.SCHEMA_REGISTRY_PASSWORD }
    : undefined;
}

/** The provisioning settings of a parsed config. */
export function topicProvisioningOf(c: KafkaClusterConfig): TopicProvisioning {
  const pick = (p?: number, rf?: number, isr?: number): ProvisioningSettings => ({
    ...(p !== undefined ? { partitions: p } : {}),
    ...(rf !== undefined ? { replicationFactor: rf } : {}),
    ...(isr !== undefined ? { minInsyncReplicas: isr } : {}),
  });
  const vars = c as unknown as Record<string, number | undefined>;
  const families: Record<string, ProvisioningSettings> = {};
  for (const family of TOPIC_FAMILIES) {
    const f = family.toUpperCase();
    families[family] = pick(
      vars[`KAFKA_TOPIC_PARTITIONS_${f}`],
      vars[`KAFKA_TOPIC_REPLICATION_FACTOR_${f}`],
      vars[`KAFKA_TOPIC_MIN_INSYNC_REPLICAS_${f}`],
    );
  }
  return {
    create: c.KAFKA_TOPICS_CREATE,
    defaults: pick(
      c.KAFKA_TOPIC_PARTITIONS,
      c.KAFKA_TOPIC_REPLICATION_FACTOR,
      c.KAFKA_TOPIC_MIN_INSYNC_REPLICAS,
    ),
    families,
  };
}

/** Every topic of the system as this config provisions it: what the services create or check, and `tributary topics` prints. */
export function topicPlanOf(c: KafkaClusterConfig): PlannedTopic[] {
  return planTopics(allTopicSpecs(), topicProvisioningOf(c));
}
