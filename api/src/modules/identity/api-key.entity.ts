import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../../store/columns.ts';
import { tenantPolicies } from '../../store/tenancy.ts';
import { OrganizationEntity } from '../orgs/organization.entity.ts';
import { UserEntity } from './user.entity.ts';

/** An API key acts as its user. Only the SHA-256 of the raw key is kept; the raw key is shown once. */
export const ApiKeyEntity = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: idColumn(),
    organizationId: p.manyToOne(OrganizationEntity).mapToPk().fieldName('organization_id').index(),
    userId: p.manyToOne(UserEntity).mapToPk().fieldName('user_id').index(),
    name: p.string().length(200),
    /** First characters of the raw key, for people to recognise it. */
    prefix: p.string().length(16),
    keyHash: p.string().length(64).unique(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    createdById: p.uuid().nullable(),
    createdAt: createdAtColumn(),
  },
  policies: tenantPolicies(),
  rowLevelSecurity: 'force',
});
export type ApiKey = InferEntity<typeof ApiKeyEntity>;
