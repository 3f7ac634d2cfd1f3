/**
 * Roles, each including the one before: `viewer` reads (dashboard, runs, KPIs, live stream);
 * `operator` also requests, cancels and replays syncs; `admin` also manages users and tokens (the
 * old system's `super_admin`).
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a route may require. Each permission names the lowest role that holds it. */
export const PERMISSIONS = {
  'runs:read': 'viewer',
  'kpis:read': 'viewer',
  'events:read': 'viewer',
  'sync:request': 'operator',
  'sync:cancel': 'operator',
  'dlq:replay': 'operator',
  'accounts:manage': 'admin',
  'audit:read': 'admin',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `atLeast` or above it. */
export function roleAtLeast(role: Role, atLeast: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(atLeast);
}

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission]);
}
