import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { UserEntity } from './user.entity.ts';

/** An API key acts as its user. Only the SHA-256 of the raw key is kept; the raw key is shown once. */
export const ApiKeyEntity = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
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
  ...TENANT_TABLE,
});
export type ApiKey = InferEntity<typeof ApiKeyEntity>;
