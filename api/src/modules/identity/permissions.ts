/**
 * Roles and what each may do (FEATURES A3, the seed's permission sets). Every authorisation decision about a
 * role reads this one table; GraphQL fields name a permission, never a role.
 */
export const ROLES = ['READONLY', 'ANALYST', 'REVIEWER', 'ADMIN', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'QUERY_SUBMIT_SELECT',
  'QUERY_SUBMIT_DML',
  'QUERY_SUBMIT_DDL',
  'QUERY_VIEW_ALL',
  'QUERY_REVIEW',
  'USERS_MANAGE',
  'ORG_MANAGE',
  'DATASOURCES_MANAGE',
  'POLICIES_MANAGE',
  'AUDIT_VIEW',
  /** See break-glass runs and hear of each as it happens. */
  'BREAK_GLASS_VIEW',
  /** Acknowledge a break-glass run's retro-review (never one's own). */
  'BREAK_GLASS_REVIEW',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const readonly: Permission[] = ['QUERY_SUBMIT_SELECT'];
const analyst: Permission[] = [...readonly, 'QUERY_SUBMIT_DML'];
const reviewer: Permission[] = [...analyst, 'QUERY_VIEW_ALL', 'QUERY_REVIEW'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  READONLY: new Set(readonly),
  ANALYST: new Set(analyst),
  REVIEWER: new Set(reviewer),
  ADMIN: new Set(PERMISSIONS),
  AUDITOR: new Set<Permission>(['AUDIT_VIEW', 'BREAK_GLASS_VIEW']),
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
