/**
 * Transactional ids per replica (ADR 0011). The configured id (`INGEST_REPCARD_TRANSACTIONAL_ID`, ...)
 * is a prefix; the replica's instance id is appended, so two replicas of one service never fence each
 * other, while a restarted replica (same instance id) takes its id back and fences its own zombie.
 */

/** The environment variables an instance id is read from, first set wins. */
export const INSTANCE_ID_VARIABLES = ['TRIBUTARY_INSTANCE_ID', 'HOSTNAME'] as const;

/**
 * The instance id of this replica: `TRIBUTARY_INSTANCE_ID`, else `HOSTNAME` (a container's or pod's
 * name, stable across restarts of a StatefulSet pod and of a container), else `fallback` (the
 * machine's host name, which a restarted process keeps too). Characters other than letters, digits,
 * dot, dash and underscore become `_`.
 */
export function instanceIdOf(env: Readonly<Record<string, string | undefined>>, fallback: string): string {
  for (const name of INSTANCE_ID_VARIABLES) {
    const value = env[name]?.trim();
    if (value) return sanitize(value);
  }
  return sanitize(fallback.trim() || 'local');
}

/** `<prefix>.<instanceId>`; the instance id is not appended twice. */
export function replicaTransactionalId(prefix: string, instanceId: string): string {
  return prefix.endsWith(`.${instanceId}`) ? prefix : `${prefix}.${instanceId}`;
}

function sanitize(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}
