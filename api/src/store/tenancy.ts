/**
 * Tenant isolation in the store (FEATURES K1). Every tenant table carries `organization_id` and these policies;
 * tenant work runs as APP_ROLE with `app.org_id` set per transaction, so a forgotten `where org` cannot leak.
 * SYSTEM_ROLE is used only by the few named cross-org paths (credential lookup, first-run setup, platform admin).
 */
import type { PolicyDef } from '@mikro-orm/core';

export const APP_ROLE = 'accessflow_app';
export const SYSTEM_ROLE = 'accessflow_system';
export const ORG_SETTING = 'app.org_id';

const currentOrg = `nullif(current_setting('${ORG_SETTING}', true), '')::uuid`;

export function tenantPolicies(orgColumn = 'organization_id'): PolicyDef[] {
  return [
    { name: 'tenant_isolation', roles: [APP_ROLE], using: `${orgColumn} = ${currentOrg}`, check: `${orgColumn} = ${currentOrg}` },
    { name: 'system_access', roles: [SYSTEM_ROLE], using: 'true', check: 'true' },
  ];
}

/** Entity options of every tenant table: forced row-level security with the two policies above. */
export const TENANT_TABLE = { policies: tenantPolicies(), rowLevelSecurity: 'force' } as const;
