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
    /**
     * The audit chain's anchor: its last seq and hash, and an HMAC over both, written with every append. Rows
     * removed from the end of the chain leave the anchor ahead of them, which `verifyAuditChain` reports.
     */
    auditHeadSeq: p.bigint('number').default(0),
    auditHeadHash: p.string().length(64).nullable(),
    auditHeadMac: p.string().length(64).nullable(),
    /**
     * Bumped by every committed change other than a query's own events (see AuditService): a configuration read
     * (grants, policies, plans, memberships…) is still current exactly while this number is unchanged.
     */
    configVersion: p.bigint('number').default(0),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  policies: tenantPolicies('id'),
  rowLevelSecurity: 'force',
});
export type Organization = InferEntity<typeof OrganizationEntity>;

/** The `organization_id` column of a tenant table (row-level security filters on it). */
export const organizationIdColumn = () => p.manyToOne(OrganizationEntity).mapToPk().fieldName('organization_id');
