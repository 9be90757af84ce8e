import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { UserEntity } from './user.entity.ts';

/** One sign-in. Access tokens carry its id, so revoking the session ends them at once. */
export const SessionEntity = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    userId: p.manyToOne(UserEntity).mapToPk().fieldName('user_id').index(),
    /** SHA-256 of the current refresh token; rotated on every refresh. */
    refreshTokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
  },
  ...TENANT_TABLE,
});
export type Session = InferEntity<typeof SessionEntity>;
