import type { Pool } from 'pg';

/** What the audit log records: who (actor, credential) did what (action, target) and how it ended. */
export interface AuditEntry {
  actor: string;
  credential: string;
  action: AuditAction;
  target?: string | null;
  outcome: 'ok' | 'refused' | 'failed' | 'coalesced';
  details?: Record<string, unknown>;
}

/** Every action the audit log names, declared once. */
export const AUDIT_ACTIONS = {
  'sync.request': 'a sync was requested (admin API, dashboard, cron endpoint)',
  'sync.cancel':
    'a cancel of a sync run was requested (admin API, dashboard), or refused as unknown or ended',
  'session.login': 'a dashboard sign-in, successful or not',
  'session.logout': 'a dashboard sign-out',
  'user.create': 'a user was created (CLI or bootstrap)',
  'user.update': "a user's password, role or state was changed (CLI)",
  'token.create': 'an API token was created (CLI)',
  'token.revoke': 'an API token was revoked (CLI)',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditRow extends Required<AuditEntry> {
  id: string;
  at: string;
}

export async function recordAudit(pool: Pool, entry: AuditEntry): Promise<void> {
  await pool.query(
    `INSERT INTO tributary_audit_log (actor, credential, action, target, outcome, details) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      entry.actor,
      entry.credential,
      entry.action,
      entry.target ?? null,
      entry.outcome,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

/** The latest audit rows, newest first. */
export async function listAudit(pool: Pool, limit = 100): Promise<AuditRow[]> {
  const { rows } = await pool.query<{
    id: string;
    at: Date;
    actor: string;
    credential: string;
    action: AuditAction;
    target: string | null;
    outcome: AuditEntry['outcome'];
    details: Record<string, unknown>;
  }>(`SELECT * FROM tributary_audit_log ORDER BY id DESC LIMIT $1`, [limit]);
  return rows.map((r) => ({ ...r, id: String(r.id), at: r.at.toISOString() }));
}
