import { hostname } from 'node:os';
import { z } from 'zod';
import { instanceIdOf, replicaTransactionalId } from '@tributary/kafka';

/**
 * The replica's identity (ADR 0011), to spread into a service's config schema:
 * `TRIBUTARY_INSTANCE_ID` (set it when HOSTNAME is not stable or not unique, e.g. several replicas on
 * one machine), else `HOSTNAME` (a container's or pod's name), else the machine's host name.
 */
export const instanceEnv = {
  TRIBUTARY_INSTANCE_ID: z.string().trim().min(1).optional(),
  HOSTNAME: z.string().trim().min(1).optional(),
};

export type InstanceConfig = { TRIBUTARY_INSTANCE_ID?: string | undefined; HOSTNAME?: string | undefined };

/** This replica's instance id, from its config. */
export function instanceIdFromConfig(config: InstanceConfig): string {
  return instanceIdOf(
    { TRIBUTARY_INSTANCE_ID: config.TRIBUTARY_INSTANCE_ID, HOSTNAME: config.HOSTNAME },
    hostname(),
  );
}

/** The transactional id of this replica: the configured `prefix` + `.` + its instance id. */
export function replicaTransactionalIdOf(prefix: string, config: InstanceConfig): string {
  return replicaTransactionalId(prefix, instanceIdFromConfig(config));
}
