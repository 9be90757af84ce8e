import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../../store/columns.ts';
import { tenantPolicies } from '../../store/tenancy.ts';

export const OrganizationEntity = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: idColumn(),
    name: p.string().length(200).unique(),
    disabled: p.boolean().default(false),
    /** Quotas; 0 means unlimited (FEATURES A1). */
    maxDatasources: p.integer().default(0),
    maxUsers: p.integer().default(0),
    maxQueriesPerDay: p.integer().default(0),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  policies: tenantPolicies('id'),
  rowLevelSecurity: 'force',
});
export type Organization = InferEntity<typeof OrganizationEntity>;

/** The `organization_id` column of a tenant table (row-level security filters on it). */
export const organizationIdColumn = () => p.manyToOne(OrganizationEntity).mapToPk().fieldName('organization_id');
